import type { OperatorFunction } from 'rxjs';
import type { Message } from '@iiot/core';
import { compileExpression, defaultEngine, type ExpressionEngine } from './expression-engine.js';
import { evaluator } from './_internal/bindings.js';
import { ruleOperator, type RuleOperatorOptions } from './_internal/rule-operator.js';
import { type RulePlan, withPayload } from './_internal/step.js';

/** Options of the `transform` rule. */
export interface TransformOptions extends RuleOperatorOptions {
  /** JSONata; `$` is the payload, the result replaces it. */
  expression: string;
}

/**
 * Plans a `transform` rule. A result of `undefined` (the expression matched nothing) drops the message,
 * counted as filtered: there is nothing to publish.
 */
export function transformRule(options: { expression: string }, engine: ExpressionEngine, where: string): RulePlan {
  const expression = compileExpression(engine, options?.expression, where);
  return {
    type: 'transform',
    create: (state, ref) => {
      const evaluate = evaluator(expression, state.store);
      return {
        ref,
        process: (message) => evaluate(message, (value) => (value === undefined ? undefined : withPayload(message, value))),
      };
    },
  };
}

/** Replaces each payload with the result of a JSONata expression. */
export function transform(options: TransformOptions): OperatorFunction<Message, Message> {
  return ruleOperator(transformRule(options, options.engine ?? defaultEngine(), 'The transform rule'), options);
}

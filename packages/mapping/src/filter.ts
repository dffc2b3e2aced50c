import type { OperatorFunction } from 'rxjs';
import type { Message } from '@iiot/core';
import { compileExpression, defaultEngine, type ExpressionEngine } from './expression-engine.js';
import { evaluator } from './_internal/bindings.js';
import { ruleOperator, type RuleOperatorOptions } from './_internal/rule-operator.js';
import type { RulePlan } from './_internal/step.js';

/** Options of the `filter` rule. */
export interface FilterOptions extends RuleOperatorOptions {
  /** JSONata; the message passes unchanged when the result is truthy. */
  expression: string;
}

/** JSONata's truthiness (`$boolean`): empty strings, arrays and objects, 0, null and nothing are false. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length === 1 ? isTruthy(value[0]) : value.some(isTruthy);
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0 && !Number.isNaN(value);
    case 'function':
      return false;
    case 'object':
      return Object.keys(value).length > 0;
    default:
      return Boolean(value);
  }
}

/** Plans a `filter` rule. */
export function filterRule(options: { expression: string }, engine: ExpressionEngine, where: string): RulePlan {
  const expression = compileExpression(engine, options?.expression, where);
  return {
    type: 'filter',
    create: (state, ref) => {
      const evaluate = evaluator(expression, state.store);
      return { ref, process: (message) => evaluate(message, (value) => (isTruthy(value) ? message : undefined)) };
    },
  };
}

/** Drops every message for which a JSONata expression is not truthy. */
export function filter(options: FilterOptions): OperatorFunction<Message, Message> {
  return ruleOperator(filterRule(options, options.engine ?? defaultEngine(), 'The filter rule'), options);
}

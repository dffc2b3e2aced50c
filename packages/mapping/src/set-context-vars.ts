import type { OperatorFunction } from 'rxjs';
import type { Message } from '@iiot/core';
import { MappingError } from './errors.js';
import { compileExpression, defaultEngine, type ExpressionEngine } from './expression-engine.js';
import { type Evaluate, evaluator } from './_internal/bindings.js';
import { ruleOperator, type RuleOperatorOptions } from './_internal/rule-operator.js';
import { type RulePlan, contextOf, withContext } from './_internal/step.js';
import type { MappingMessage } from './types.js';

/** Options of the `setContextVars` rule. */
export interface SetContextVarsOptions extends RuleOperatorOptions {
  /** Variable name → JSONata expression; each sees the variables set before it. */
  vars: Record<string, string>;
}

/** Plans a `setContextVars` rule. */
export function setContextVarsRule(options: { vars: Record<string, string> }, engine: ExpressionEngine, where: string): RulePlan {
  const vars = options?.vars;
  if (!vars || typeof vars !== 'object' || Object.keys(vars).length === 0) {
    throw new MappingError('RULE_INVALID', `${where} needs vars: a map of variable name to JSONata expression.`);
  }
  const compiled = Object.entries(vars).map(
    ([name, source]) => [name, compileExpression(engine, source, `${where}, variable "${name}"`)] as const,
  );
  return {
    type: 'setContextVars',
    create: (state, ref) => {
      const evaluators = compiled.map(([name, expression]) => [name, evaluator(expression, state.store)] as const);
      return { ref, process: (message) => assign(message, evaluators, 0) };
    },
  };
}

function assign(
  message: MappingMessage,
  evaluators: readonly (readonly [string, Evaluate])[],
  from: number,
): MappingMessage | Promise<MappingMessage> {
  let current = message;
  for (let i = from; i < evaluators.length; i++) {
    const [name, evaluate] = evaluators[i]!;
    const at = current;
    const next = evaluate(at, (value) => {
      const context = contextOf(at);
      return withContext(at, { ...context, vars: { ...context.vars, [name]: value } });
    });
    if (next instanceof Promise) return next.then((done) => assign(done, evaluators, i + 1));
    current = next;
  }
  return current;
}

/** Stores the results of JSONata expressions in `$context.vars` for later rules and the publish topic. */
export function setContextVars(options: SetContextVarsOptions): OperatorFunction<Message, Message> {
  return ruleOperator(setContextVarsRule(options, options.engine ?? defaultEngine(), 'The setContextVars rule'), options);
}

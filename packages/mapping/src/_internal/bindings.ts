import type { CompiledExpression } from '../expression-engine.js';
import type { StashStore } from '../stash.js';
import type { MappingMessage } from '../types.js';
import { contextOf } from './step.js';

/** The JSONata bindings for one message: `$context` and `$last(label?)`. */
export function bindingsFor(message: MappingMessage, store: StashStore): Record<string, unknown> {
  const context = contextOf(message);
  const stashed = context.stashed;
  return {
    context: { topic: message.topic, vars: context.vars, timestamp: message.timestamp, label: context.label },
    last: (label?: unknown) => {
      if (label === undefined) return store.released;
      const key = String(label);
      return stashed !== undefined && Object.hasOwn(stashed, key) ? stashed[key] : store.get(key);
    },
  };
}

/** Evaluates `expression` for `message` and hands the value to `then`, without a promise when the engine is synchronous. */
export function evaluateFor<T>(
  expression: CompiledExpression,
  message: MappingMessage,
  store: StashStore,
  then: (value: unknown) => T,
): T | Promise<T> {
  const value = expression.evaluate(message.payload, bindingsFor(message, store));
  return value instanceof Promise ? value.then(then) : then(value);
}

import type { CompiledExpression } from '../expression-engine.js';
import type { StashStore } from '../stash-store.js';
import type { MappingMessage } from '../types.js';
import { contextOf } from './step.js';

/** Evaluates an expression for one message at a time, handing the value on to `then`. */
export type Evaluate = <T>(message: MappingMessage, then: (value: unknown) => T) => T | Promise<T>;

/**
 * Binds `$context` and `$last(label?)` for `expression`. A step runs one message at a time (its chain waits
 * for it), so one `$last` function per step can read the stash view of the message being evaluated.
 */
export function evaluator(expression: CompiledExpression, store: StashStore): Evaluate {
  let stashed: Readonly<Record<string, unknown>> | undefined;
  const last = (label?: unknown): unknown => {
    if (label === undefined) return store.released;
    const key = String(label);
    return stashed !== undefined && Object.hasOwn(stashed, key) ? stashed[key] : store.get(key);
  };
  return (message, then) => {
    const context = contextOf(message);
    stashed = context.stashed;
    const value = expression.evaluate(message.payload, {
      context: { topic: message.topic, vars: context.vars, timestamp: message.timestamp, label: context.label },
      last,
    });
    // A synchronous engine's value continues at once; only a promise costs a microtask.
    return value instanceof Promise ? value.then(then) : then(value);
  };
}

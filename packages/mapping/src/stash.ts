import type { OperatorFunction } from 'rxjs';
import type { Message } from '@iiot/core';
import { MappingError } from './errors.js';
import { contextOf, type RulePlan, withContext } from './_internal/step.js';
import { ruleOperator, type RuleOperatorOptions } from './_internal/rule-operator.js';

/** What `stash` rules remember, shared by the rules of one chain. */
export interface StashStore {
  /** The payload last stashed under `label`, or `null`. */
  get(label: string): unknown;
  /** Stashes `payload` under `label` and returns what was there before (`null` when nothing). */
  swap(label: string, payload: unknown): unknown;
  /** The payload of the last message the chain released, or `null`. */
  released: unknown;
}

/** A fresh, empty store; pass one to several standalone rule operators so `$last` sees their stashes. */
export function createStashStore(): StashStore {
  const values = new Map<string, unknown>();
  return {
    get: (label) => (values.has(label) ? values.get(label) : null),
    swap(label, payload) {
      const before = values.has(label) ? values.get(label) : null;
      values.set(label, payload);
      return before;
    },
    released: null,
  };
}

/** Options of the `stash` rule. */
export interface StashOptions extends RuleOperatorOptions {
  /** The name `$last("label")` reads it back with. */
  label: string;
}

/** Plans a `stash` rule. */
export function stashRule(options: { label: string }, where: string): RulePlan {
  const { label } = options ?? {};
  if (typeof label !== 'string' || label === '') {
    throw new MappingError('RULE_INVALID', `${where} needs a label (the name $last("label") reads).`);
  }
  return {
    type: 'stash',
    create: (state, ref) => ({
      ref,
      process(message) {
        const context = contextOf(message);
        // Later rules of this message still see the previous message's value under this label.
        const previous = state.store.swap(label, message.payload);
        return withContext(message, { ...context, stashed: { ...context.stashed, [label]: previous } });
      },
    }),
  };
}

/** Remembers each payload under `label`; `$last("label")` in later messages returns it. */
export function stash(options: StashOptions): OperatorFunction<Message, Message> {
  return ruleOperator(stashRule(options, 'The stash rule'), options);
}

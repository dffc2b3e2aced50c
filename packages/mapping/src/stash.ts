import type { OperatorFunction } from 'rxjs';
import type { Message } from '@iiot/core';
import { MappingError } from './errors.js';
import { contextOf, type RulePlan, withContext } from './_internal/step.js';
import { ruleOperator, type RuleOperatorOptions } from './_internal/rule-operator.js';

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

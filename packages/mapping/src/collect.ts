import type { OperatorFunction } from 'rxjs';
import type { Message } from '@iiot/core';
import { setBounded } from './_internal/bounded.js';
import { ruleOperator, type RuleOperatorOptions } from './_internal/rule-operator.js';
import { type RulePlan, contextOf, withPayload } from './_internal/step.js';

/** Options of the `collect` rule. */
export type CollectOptions = RuleOperatorOptions;

/**
 * Plans a `collect` rule: a last-value cache over all of the mapping's sources, keyed by the subscription's
 * label (rendered with the topic's wildcards) or else by the concrete topic. Every message updates its key and
 * releases the whole cache as `{ key: payload, … }`; keys keep the order in which they first arrived. At most
 * `maxStateEntries` keys are kept; a new key beyond that evicts the oldest.
 */
export function collectRule(): RulePlan {
  return {
    type: 'collect',
    create: (state, ref) => {
      const cache = new Map<string, unknown>();
      return {
        ref,
        process(message) {
          setBounded(cache, contextOf(message).label ?? message.topic, message.payload, state.maxStateEntries);
          return withPayload(message, Object.fromEntries(cache));
        },
      };
    },
  };
}

/** Releases, for every message, the last payload of every source seen so far as one object. */
export function collect(options: CollectOptions = {}): OperatorFunction<Message, Message> {
  return ruleOperator(collectRule(), options);
}

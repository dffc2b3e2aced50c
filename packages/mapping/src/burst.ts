import type { OperatorFunction, Subscription } from 'rxjs';
import type { Message } from '@iiot/core';
import { MappingError } from './errors.js';
import { ruleOperator, type RuleOperatorOptions } from './_internal/rule-operator.js';
import { HELD, type RulePlan, withPayload } from './_internal/step.js';
import type { BurstRuleOptions, MappingMessage } from './types.js';

/** Options of the `burst` rule. */
export interface BurstOptions extends RuleOperatorOptions, BurstRuleOptions {}

function positive(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value) && value > 0);
}

/**
 * Plans a `burst` rule: messages are batched into one message whose payload is the array of their payloads
 * (topic, timestamp and variables of the last one). The interval starts with the first message of a batch;
 * `maxSize` releases early; an empty batch is never released. Without `maxSize` a batch is still capped at
 * `maxStateEntries` messages. What is held when the source completes is released then.
 */
export function burstRule(options: BurstRuleOptions, where: string): RulePlan {
  const { interval, maxSize } = options ?? {};
  if ((interval === undefined && maxSize === undefined) || !positive(interval) || !positive(maxSize)) {
    throw new MappingError('RULE_INVALID', `${where} needs interval (milliseconds > 0) and/or maxSize (> 0).`);
  }
  return {
    type: 'burst',
    create: (state, ref) => {
      const limit = Math.min(maxSize ?? Number.POSITIVE_INFINITY, state.maxStateEntries);
      let batch: MappingMessage[] = [];
      let timer: Subscription | undefined;
      let release: (message: MappingMessage) => void = () => {};
      const take = (): MappingMessage | undefined => {
        timer?.unsubscribe();
        timer = undefined;
        const taken = batch;
        batch = [];
        const last = taken[taken.length - 1];
        return last && withPayload(last, taken.map((message) => message.payload));
      };
      return {
        ref,
        attach(onRelease) {
          release = onRelease;
        },
        process(message) {
          batch.push(message);
          if (batch.length >= limit) return take();
          if (batch.length === 1 && interval !== undefined) {
            timer = state.scheduler.schedule(() => {
              timer = undefined;
              const released = take();
              if (released) release(released);
            }, interval);
          }
          return HELD;
        },
        flush: take,
        dispose() {
          timer?.unsubscribe();
          timer = undefined;
          batch = [];
        },
      };
    },
  };
}

/** Batches messages into array messages by size and/or time, whichever limit is reached first. */
export function burst(options: BurstOptions): OperatorFunction<Message, Message> {
  return ruleOperator(burstRule(options, 'The burst rule'), options);
}

import { Observable, type OperatorFunction, type SchedulerLike, asyncScheduler } from 'rxjs';
import type { Message } from '@iiot/core';
import type { MappingError } from '../errors.js';
import type { ExpressionEngine } from '../expression-engine.js';
import { type StashStore, createStashStore } from '../stash-store.js';
import { ChainRunner, type OverflowPolicy } from './runner.js';
import type { RulePlan } from './step.js';

/** Defaults of every pipeline and rule operator, in one place. */
export const DEFAULTS = {
  maxQueued: 1000,
  overflow: 'drop-oldest' as OverflowPolicy,
  maxStateEntries: 10_000,
};

/** Options every standalone rule operator accepts. */
export interface RuleOperatorOptions {
  /** Compiles the rule's expressions. @default the jsonata library */
  engine?: ExpressionEngine;
  /** Clock and timers of timed rules (`burst`). @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Share one store between operators so `$last` sees what `stash` remembered. @default a store per subscription */
  store?: StashStore;
  /** Messages that may wait while an asynchronous evaluation is in flight (at least 1). @default 1000 */
  maxQueued?: number;
  /** Which message a full queue gives up. @default 'drop-oldest' */
  overflow?: OverflowPolicy;
  /** Upper bound of the entries a stateful rule remembers (topics for `cov`, sources for `collect`). @default 10000 */
  maxStateEntries?: number;
  /** Called for a message the rule failed on; without it the error ends the stream. */
  onError?: (error: MappingError, message: Message) => void;
  /** Called for a message shed because the queue was full. @default undefined */
  onShed?: (message: Message) => void;
}

/** Runs one planned rule as an operator: ordered, bounded, synchronous when the rule is. */
export function ruleOperator(plan: RulePlan, options: RuleOperatorOptions): OperatorFunction<Message, Message> {
  return (source) =>
    new Observable<Message>((subscriber) => {
      const state = {
        store: options.store ?? createStashStore(),
        scheduler: options.scheduler ?? asyncScheduler,
        maxStateEntries: options.maxStateEntries ?? DEFAULTS.maxStateEntries,
      };
      const step = plan.create(state, { index: 0, type: plan.type });
      const runner = new ChainRunner(
        [step],
        {
          output: (message) => subscriber.next(message),
          filtered: () => {},
          failed: (_step, message, error) => {
            if (options.onError) options.onError(error, message);
            else subscriber.error(error);
          },
          shed: (message) => options.onShed?.(message),
        },
        options.maxQueued ?? DEFAULTS.maxQueued,
        options.overflow ?? DEFAULTS.overflow,
      );
      const subscription = source.subscribe({
        next: (message) => runner.push(message),
        error: (error: unknown) => subscriber.error(error),
        complete: () => runner.complete(() => subscriber.complete()),
      });
      return () => {
        subscription.unsubscribe();
        runner.close();
      };
    });
}

import { Observable, type OperatorFunction, type SchedulerLike, Subject, asyncScheduler } from 'rxjs';
import { type Message, compileTopicTemplate } from '@iiot/core';
import { MappingError, describeCause } from './errors.js';
import { defaultEngine, type ExpressionEngine } from './expression-engine.js';
import { createStashStore } from './stash-store.js';
import type { MappingEntry, RuleType } from './types.js';
import { entryStep, parseSubscriptions, publishStep } from './_internal/endpoints.js';
import { planRules } from './_internal/plan.js';
import { DEFAULTS } from './_internal/rule-operator.js';
import { ChainRunner, type OverflowPolicy } from './_internal/runner.js';
import type { RuleRef, RuleStep, RunState } from './_internal/step.js';

export type { RuleRef } from './_internal/step.js';
export type { OverflowPolicy } from './_internal/runner.js';

/** Options of `createMappingPipeline`. */
export interface MappingPipelineOptions {
  /** The mapping's name in errors, dead letters and metrics (for example `sourceTargetMapping[0]`). */
  id: string;
  /** Compiles JSONata; swap in a synchronous engine here. @default the jsonata library */
  engine?: ExpressionEngine;
  /** Clock and timers (`burst`, `lastForwardedAt`). @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Messages that may wait while an asynchronous evaluation is in flight (at least 1). @default 1000 */
  maxQueued?: number;
  /** Which message a full queue gives up; either way it is counted as shed. @default 'drop-oldest' */
  overflow?: OverflowPolicy;
  /** Upper bound of what each stateful rule remembers (topics for `cov`, keys for `collect`, a batch). @default 10000 */
  maxStateEntries?: number;
}

/** A message a rule failed on, with the error and where it happened. */
export interface DeadLetter {
  /** The message as it reached the failing rule. */
  readonly message: Message;
  readonly error: MappingError;
  /** The pipeline's `id`. */
  readonly mapping: string;
  /** The failing rule; `undefined` when routing, JSON decoding or the publish topic failed. */
  readonly rule: RuleRef | undefined;
}

/** Counters of one rule. */
export interface RuleMetrics {
  readonly index: number;
  readonly type: RuleType;
  filtered: number;
  errored: number;
}

/** Counters of one mapping, as `/metrics` shows them. */
export interface MappingMetrics {
  readonly id: string;
  /** Messages offered to the pipeline, shed ones included. */
  in: number;
  /** Messages released to the publish topic. */
  out: number;
  /** Messages dropped by `filter`, `cov` or a transform with no result. */
  filtered: number;
  /** Messages dropped because a rule failed on them (each also on `deadLetters`). */
  errored: number;
  /** Messages given up because the queue was full. */
  shed: number;
  /** Messages waiting now. */
  queued: number;
  /** When a message was last released (scheduler time, ms), if ever. */
  lastForwardedAt: number | undefined;
  readonly rules: readonly RuleMetrics[];
}

/** A mapping's rule chain as an operator, with its dead letters and metrics. */
export interface MappingPipeline extends OperatorFunction<Message, Message> {
  readonly id: string;
  /** Every message a rule failed on; the pipeline itself goes on. */
  readonly deadLetters: Observable<DeadLetter>;
  /** A snapshot of the counters. */
  metrics(): MappingMetrics;
}

function withoutContext(message: Message & { context?: unknown }): Message {
  if (message === null || typeof message !== 'object') return message;
  const { context: _context, ...plain } = message;
  return plain;
}

/**
 * Composes an entry's rule chain into one operator: subscription routing and JSON decoding, the rules top to
 * bottom, then the publish topic. Expressions are compiled here, once; invalid rules throw `RULE_INVALID` or
 * `EXPRESSION_INVALID`. Each subscription to the operator runs with fresh rule state.
 */
export function createMappingPipeline(entry: MappingEntry, options: MappingPipelineOptions): MappingPipeline {
  const { id } = options;
  const engine = options.engine ?? defaultEngine();
  const scheduler = options.scheduler ?? asyncScheduler;
  const maxQueued = options.maxQueued ?? DEFAULTS.maxQueued;
  const overflow = options.overflow ?? DEFAULTS.overflow;
  const maxStateEntries = options.maxStateEntries ?? DEFAULTS.maxStateEntries;

  const rules = entry.rules ?? [];
  const planned = planRules(rules, engine, id);
  const subscriptions = parseSubscriptions(entry, id);
  const names = new Set(subscriptions.flatMap((s) => s.filter.names));
  const ruleVars = new Set<string>();
  for (const spec of rules) {
    const vars = (spec as { setContextVars?: { vars?: object } }).setContextVars?.vars;
    for (const name of Object.keys(vars ?? {})) {
      names.add(name);
      ruleVars.add(name);
    }
  }
  let template: ReturnType<typeof compileTopicTemplate> | undefined;
  if (entry.publish?.topic !== undefined) {
    try {
      template = compileTopicTemplate(entry.publish.topic, { names });
    } catch (cause) {
      throw new MappingError('PUBLISH_TOPIC_INVALID', `Mapping ${id}: ${describeCause(cause)}`, { cause, details: { mapping: id } });
    }
  }
  const bySourceTopic = subscriptions.length > 0 && template !== undefined && !template.names.some((name) => ruleVars.has(name));
  const decodeJson = rules.length > 0 && !('parse' in (rules[0] as object));

  const deadLetters = new Subject<DeadLetter>();
  const counters: MappingMetrics = {
    id,
    in: 0,
    out: 0,
    filtered: 0,
    errored: 0,
    shed: 0,
    queued: 0,
    lastForwardedAt: undefined,
    rules: planned.map(({ index, plan }) => ({ index, type: plan.type, filtered: 0, errored: 0 })),
  };
  const ruleCounters = (step: RuleStep) => counters.rules.find((r) => r.index === step.ref?.index);
  const runners = new Set<ChainRunner>();

  const operator = (source: Observable<Message>) =>
    new Observable<Message>((subscriber) => {
      const state: RunState = { store: createStashStore(), scheduler, maxStateEntries };
      const steps: RuleStep[] = [
        entryStep(subscriptions, decodeJson, id),
        ...planned.map(({ index, plan }) => plan.create(state, { index, type: plan.type })),
        publishStep(entry, template, bySourceTopic, state, id),
      ];
      const runner = new ChainRunner(
        steps,
        {
          output(message) {
            counters.out++;
            counters.lastForwardedAt = scheduler.now();
            subscriber.next(message);
          },
          filtered(step) {
            counters.filtered++;
            const rule = ruleCounters(step);
            if (rule) rule.filtered++;
          },
          failed(step, message, error) {
            counters.errored++;
            const rule = ruleCounters(step);
            if (rule) rule.errored++;
            deadLetters.next({ message: withoutContext(message), error, mapping: id, rule: step.ref });
          },
          shed() {
            counters.shed++;
          },
        },
        maxQueued,
        overflow,
      );
      runners.add(runner);
      const subscription = source.subscribe({
        next(message) {
          counters.in++;
          runner.push(message);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => runner.complete(() => subscriber.complete()),
      });
      return () => {
        subscription.unsubscribe();
        runner.close();
        runners.delete(runner);
      };
    });

  return Object.assign(operator, {
    id,
    deadLetters: deadLetters.asObservable(),
    metrics(): MappingMetrics {
      let queued = 0;
      for (const runner of runners) queued += runner.queued;
      return { ...counters, queued, rules: counters.rules.map((rule) => ({ ...rule })) };
    },
  });
}

import type { Message, MessageSource } from '@iiot/core';
import type { MappingPipeline } from '@iiot/mapping';
import type { Logger } from 'pino';
import { merge, type Observable } from 'rxjs';
import type { FlowMetrics } from '../resources/types.js';

const LOG_EVERY_MS = 10_000;

/** A running flow of messages: sources → rule pipelines → publish, with its counters. */
export interface Flow {
  metrics(): FlowMetrics;
  stop(): void;
}

/** One entry of a flow: where messages come from, the rules they pass, where they go. */
export interface FlowBranch {
  sources: Observable<Message>[];
  pipeline: MappingPipeline;
  publish: (message: Message) => Promise<void>;
}

/**
 * Runs the branches of a mapping or endpoint. Publishes are started in arrival order without waiting for
 * each other (order is kept by the sink), failures are counted, and rule failures are logged at most once
 * every ten seconds per flow with the number left out, so bad data cannot flood the log.
 */
export function runFlow(id: string, branches: readonly FlowBranch[], log: Logger): Flow {
  let publishErrors = 0;
  const report = throttledWarn(id, log);
  const subscriptions = branches.flatMap((branch) => [
    branch.pipeline.deadLetters.subscribe((letter) =>
      report('a rule failed on a message; it was dropped', { topic: letter.message.topic, rule: letter.rule, err: letter.error }),
    ),
    merge(...branch.sources)
      .pipe(branch.pipeline)
      .subscribe({
        next(message) {
          branch.publish(message).catch((error: unknown) => {
            publishErrors++;
            report('a message could not be published', { topic: message.topic, err: error });
          });
        },
        error: (error: unknown) => log.error({ flow: id, err: error }, 'flow stopped on an error'),
      }),
  ]);
  return {
    metrics() {
      const total: FlowMetrics = { in: 0, out: 0, dropped: 0, errored: publishErrors, lastForwardedAt: 0 };
      for (const { pipeline } of branches) {
        const m = pipeline.metrics();
        total.in += m.in;
        total.out += m.out;
        total.dropped += m.filtered + m.shed;
        total.errored += m.errored;
        total.lastForwardedAt = Math.max(total.lastForwardedAt, m.lastForwardedAt ?? 0);
      }
      return total;
    },
    stop() {
      for (const s of subscriptions) s.unsubscribe();
    },
  };
}

/**
 * A flow without rules: every message of `source` goes straight to `send`, counted as in `runFlow`, with no
 * RxJS or rule chain between them — the path of an endpoint that only moves a connector's data to its topic.
 */
export function runDirectFlow(
  id: string,
  source: MessageSource,
  send: (message: Message, done: (error?: unknown) => void) => void,
  log: Logger,
): Flow {
  const counters: FlowMetrics = { in: 0, out: 0, dropped: 0, errored: 0, lastForwardedAt: 0 };
  const report = throttledWarn(id, log);
  const done = (error?: unknown) => {
    if (!error) return;
    counters.errored++;
    report('a message could not be published', { err: error });
  };
  const subscription = source.subscribe({
    next(message) {
      counters.in++;
      counters.out++;
      counters.lastForwardedAt = Date.now();
      try {
        send(message, done);
      } catch (error) {
        done(error);
      }
    },
    error: (error: unknown) => log.error({ flow: id, err: error }, 'flow stopped on an error'),
  });
  return {
    metrics: () => ({ ...counters }),
    stop: () => subscription.unsubscribe(),
  };
}

/** Logs a warning at most once every ten seconds, with the number left out since. */
function throttledWarn(id: string, log: Logger): (what: string, facts: Record<string, unknown>) => void {
  let suppressed = 0;
  let lastLogAt = 0;
  return (what, facts) => {
    const now = Date.now();
    if (now - lastLogAt < LOG_EVERY_MS) {
      suppressed++;
      return;
    }
    log.warn({ flow: id, ...facts, ...(suppressed && { suppressedSinceLast: suppressed }) }, what);
    lastLogAt = now;
    suppressed = 0;
  };
}

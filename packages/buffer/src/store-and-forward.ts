import type { Message, MessageSink } from '@iiot/core';
import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { BufferRecord, BufferStore } from './store.js';
import { TokenBucket } from './_internal/token-bucket.js';

/**
 * Confirmed messages are acknowledged in the buffer (a cursor write) once this many have gathered, or whenever
 * nothing is left in flight. A crash can thus resend up to this many confirmed messages: at-least-once allows it.
 */
const ACK_EVERY = 64;

/** Options of `storeAndForward`. */
export interface StoreAndForwardOptions {
  /** Messages handed to the sink and not yet confirmed, at most. While the sink is down, one probes it. @default 100 */
  maxInFlight?: number;
  /** Messages per second sent to the sink: a backlog drains at this pace while new messages queue behind it. @default Infinity */
  rate?: number;
  /** Pause before trying again after the sink rejected with a retryable error. @default 1000 */
  retryDelayMs?: number;
  /** Scheduler for pauses and pacing, replaceable in tests. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /**
   * Called when the sink refuses a message for good (it rejects with an error that is not `retryable`): the
   * message is then skipped and counted as refused, so it cannot hold up the ones behind it. Without this
   * option such a refusal stops the operator with that error, and the message stays in the buffer.
   */
  onRefused?: (error: unknown, message: Message) => void;
}

/** What the operator has done since it was created. */
export interface ForwardCounters {
  /** Messages stored in the buffer. */
  stored: number;
  /** Messages the sink confirmed. */
  delivered: number;
  /** Messages the sink refused for good and `onRefused` skipped. */
  refused: number;
  /** Messages stored while the sink was down. */
  spooled: number;
  /** Confirmed messages that had waited for the sink: stored while it was down, or left from an earlier run. */
  drained: number;
  /** Messages the buffer's overflow policy discarded (buffer-wide, since it was opened). */
  dropped: number;
  /** Messages the buffer expired by `maxAgeMs` (buffer-wide, since it was opened). */
  expired: number;
}

/** The operator, with live counters. Subscribe it once at a time: one buffer feeds one sink. */
export interface StoreAndForwardOperator extends OperatorFunction<Message, Message> {
  readonly counters: Readonly<ForwardCounters>;
}

interface InFlight {
  record: BufferRecord;
  state: 'sending' | 'confirmed' | 'refused' | 'failed';
  /** Why the sink refused the message, when it did. */
  refusal?: unknown;
}

/**
 * Records every message in `buffer`, then forwards it to `sink` in order, acknowledging it in the buffer only
 * once the sink confirmed it. While the sink is down messages spool; on recovery the backlog drains first.
 * Emits each message once the sink confirmed it; completes when the source did and all is delivered.
 */
export function storeAndForward(
  buffer: BufferStore,
  sink: MessageSink,
  options: StoreAndForwardOptions = {},
): StoreAndForwardOperator {
  const maxInFlight = options.maxInFlight ?? 100;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const scheduler = options.scheduler ?? asyncScheduler;
  const own = { stored: 0, delivered: 0, refused: 0, spooled: 0, drained: 0 };
  let subscribed = false;

  const operator = (source: Observable<Message>) =>
    new Observable<Message>((subscriber) => {
      if (subscribed) throw new Error('storeAndForward: this operator is already subscribed; create one per pipeline.');
      subscribed = true;
      const bucket = new TokenBucket(options.rate ?? Number.POSITIVE_INFINITY, scheduler);
      let window: InFlight[] = [];
      // How many entries of `window` are still sending or have failed, kept so no hot path scans the window.
      let sending = 0;
      let failed = 0;
      let restarts = 0;
      let sentUpTo = 0;
      let emittedUpTo = 0;
      let backlogEnd = buffer.stats().lastSeq;
      let lastStored = backlogEnd;
      let down = false;
      let pendingAppends = 0;
      let sourceDone = false;
      let stopped = false;
      let tornDown = false;
      let pumping = false;
      let pumpAgain = false;
      let wakeUp: Subscription | undefined;
      let ackTarget = 0;
      let confirmedUpTo = 0;
      let acking: Promise<void> | undefined;

      const fail = (error: unknown) => {
        stopped = true;
        subscriber.error(error);
      };
      const later = (ms: number) => {
        wakeUp ??= scheduler.schedule(() => {
          wakeUp = undefined;
          wake();
        }, ms);
      };

      const acknowledge = (seq: number) => {
        ackTarget = seq;
        acking ??= (async () => {
          for (let done = 0; done < ackTarget && !tornDown; ) {
            done = ackTarget;
            await buffer.ack(done);
          }
        })().then(() => (acking = undefined), fail);
      };

      const settle = () => {
        let last = 0;
        while (window[0]?.state === 'confirmed' || window[0]?.state === 'refused') {
          const { record, state, refusal } = window.shift()!;
          last = record.seq;
          if (record.seq <= emittedUpTo) continue;
          emittedUpTo = record.seq;
          if (state === 'refused') {
            own.refused++;
            options.onRefused!(refusal, record.message);
            continue;
          }
          own.delivered++;
          if (record.seq <= backlogEnd) own.drained++;
          subscriber.next(record.message);
        }
        if (last > 0) confirmedUpTo = last;
        if (confirmedUpTo > ackTarget && (sending === 0 || confirmedUpTo - ackTarget >= ACK_EVERY)) acknowledge(confirmedUpTo);
        if (window.length > 0 && sending === 0 && window[0]!.state === 'failed') {
          // Every send has answered and one failed: start again from the first unconfirmed message.
          sentUpTo = window[0]!.record.seq - 1;
          window = [];
          failed = 0;
          restarts++;
          later(retryDelayMs);
          return;
        }
        wake();
      };

      const answered = (entry: InFlight, state: 'confirmed' | 'refused', refusal?: unknown) => {
        if (stopped) return;
        sending--;
        entry.state = state;
        if (state === 'refused') entry.refusal = refusal;
        down = false;
        settle();
      };

      const send = (entry: InFlight) => {
        sending++;
        let sent: Promise<void>;
        try {
          sent = Promise.resolve(sink.publish(entry.record.message));
        } catch (error) {
          sent = Promise.reject(error);
        }
        sent.then(
          () => answered(entry, 'confirmed'),
          (error: unknown) => {
            if (stopped) return;
            if ((error as { retryable?: unknown } | undefined)?.retryable !== true) {
              return options.onRefused ? answered(entry, 'refused', error) : fail(error);
            }
            sending--;
            entry.state = 'failed';
            failed++;
            if (!down) backlogEnd = Math.max(backlogEnd, lastStored);
            down = true;
            settle();
          },
        );
      };

      // Called for every append and confirmation: while a pump runs it only asks for another round, without the
      // promise an async call would allocate.
      const wake = () => {
        if (pumping) pumpAgain = true;
        else void pump();
      };

      const pump = async (): Promise<void> => {
        pumping = true;
        try {
          do {
            pumpAgain = false;
            if (stopped || wakeUp || failed > 0) break;
            const limit = down ? 1 : maxInFlight;
            const room = limit - window.length;
            // Refill a busy window in batches of at least half of it rather than one message per confirmation.
            if (room <= 0 || (window.length > 0 && room < limit / 2)) break;
            const allowed = bucket.available(room);
            if (allowed === 0) {
              later(bucket.waitMs());
              break;
            }
            const restartsBefore = restarts;
            // Nothing stored past what was sent: no read needed (but the completion check below still runs).
            const records = sentUpTo >= lastStored ? [] : await buffer.read(allowed, sentUpTo);
            // A failure answered while reading moved the position back; this batch is stale then.
            if (restarts !== restartsBefore) continue;
            bucket.spend(records.length);
            for (const record of records) {
              const entry: InFlight = { record, state: 'sending' };
              window.push(entry);
              sentUpTo = record.seq;
              send(entry);
            }
            if (records.length === allowed) pumpAgain = true;
            else if (sourceDone && pendingAppends === 0 && window.length === 0) {
              stopped = true;
              // Complete only once the last confirmations are acknowledged in the buffer.
              void Promise.resolve(acking).then(() => subscriber.complete());
            }
          } while (pumpAgain);
        } catch (error) {
          fail(error);
        } finally {
          pumping = false;
        }
      };

      const subscription = source.subscribe({
        next(message) {
          pendingAppends++;
          buffer.append(message).then((seq) => {
            pendingAppends--;
            if (seq !== undefined) {
              own.stored++;
              lastStored = seq;
              if (down) {
                own.spooled++;
                backlogEnd = seq;
              }
            }
            wake();
          }, fail);
        },
        error: fail,
        complete() {
          sourceDone = true;
          wake();
        },
      });
      wake();

      return () => {
        stopped = tornDown = true;
        subscribed = false;
        wakeUp?.unsubscribe();
        subscription.unsubscribe();
      };
    });

  return Object.defineProperty(operator, 'counters', {
    get: (): ForwardCounters => {
      const { dropped, expired } = buffer.stats();
      return { ...own, dropped, expired };
    },
  }) as StoreAndForwardOperator;
}

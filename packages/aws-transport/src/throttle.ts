import { AWS_IOT_LIMITS } from './limits.js';
import { type Clock, systemClock } from './clock.js';

export interface ThrottleOptions {
  /** Publishes per second. @default 100 */
  publishesPerSecond?: number;
  /** Payload bytes per second. @default 524288 */
  bytesPerSecond?: number;
  /**
   * How much unused allowance may be saved up, in seconds of rate. Kept well below AWS's own one-second
   * allowance so that network jitter, which can bunch publishes up on arrival, never pushes AWS over it.
   * @default 0.1
   */
  burstSeconds?: number;
  /** @default systemClock */
  clock?: Clock;
}

/** Two token buckets (publishes and bytes) that release waiting publishes in the order they asked. */
export interface Throttle {
  /** Resolves when one publish of `bytes` may go out now; its allowance is taken on resolution. */
  acquire(bytes: number): Promise<void>;
  /** Takes allowance without waiting (for messages AWS sends to us, which count against the same limit). */
  charge(bytes: number): void;
  /** Publishes waiting for allowance. */
  readonly waiting: number;
  /** Rejects every waiting publish; later calls reject at once. */
  close(reason: Error): void;
}

interface Waiter {
  bytes: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Creates a throttle for one connection, by default at AWS IoT's per-connection limits. */
export function createThrottle(options: ThrottleOptions = {}): Throttle {
  const clock = options.clock ?? systemClock;
  const publishRate = options.publishesPerSecond ?? AWS_IOT_LIMITS.publishesPerSecond;
  const byteRate = options.bytesPerSecond ?? AWS_IOT_LIMITS.bytesPerSecond;
  const burst = options.burstSeconds ?? 0.1;
  const publishCap = Math.max(1, publishRate * burst);
  const byteCap = Math.max(1, byteRate * burst);
  let publishTokens = publishCap;
  let byteTokens = byteCap;
  let last = clock.now();
  let timer: unknown;
  let closed: Error | undefined;
  const queue: Waiter[] = [];

  const refill = () => {
    const now = clock.now();
    const seconds = (now - last) / 1000;
    last = now;
    publishTokens = Math.min(publishCap, publishTokens + seconds * publishRate);
    byteTokens = Math.min(byteCap, byteTokens + seconds * byteRate);
  };
  // A publish larger than the byte allowance may still go once the bucket is full; it leaves a debt.
  const fits = (bytes: number) => publishTokens >= 1 && byteTokens >= Math.min(bytes, byteCap);
  const take = (bytes: number) => {
    publishTokens -= 1;
    byteTokens -= bytes;
  };
  const pump = () => {
    timer = undefined;
    refill();
    while (queue.length > 0 && fits(queue[0]!.bytes)) {
      const waiter = queue.shift()!;
      take(waiter.bytes);
      waiter.resolve();
    }
    const head = queue[0];
    if (!head) return;
    const publishWait = (1 - publishTokens) / publishRate;
    const byteWait = (Math.min(head.bytes, byteCap) - byteTokens) / byteRate;
    timer = clock.setTimeout(pump, Math.max(1, Math.ceil(Math.max(publishWait, byteWait) * 1000)));
  };

  return {
    acquire(bytes) {
      if (closed) return Promise.reject(closed);
      if (queue.length === 0) {
        refill();
        if (fits(bytes)) {
          take(bytes);
          return Promise.resolve();
        }
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ bytes, resolve, reject });
        if (timer === undefined) pump();
      });
    },
    charge(bytes) {
      refill();
      take(bytes);
    },
    get waiting() {
      return queue.length;
    },
    close(reason) {
      closed = reason;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      for (const waiter of queue.splice(0)) waiter.reject(reason);
    },
  };
}

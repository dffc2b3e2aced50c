import type { Throttle } from '../throttle.js';
import type { MqttLink } from './link.js';

/** One publish waiting for its turn on a connection. */
export interface Outgoing {
  /** Position in the lane, set by `enqueue`: a publish lost with its connection goes back to its place. */
  seq?: number;
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface LaneOptions {
  link: MqttLink;
  throttle: Throttle;
  /** Most publishes awaiting their acknowledgement at once. */
  maxInFlight: number;
}

/**
 * One connection's send queue: publishes leave strictly in the order they were queued, each after the
 * throttle allowed it, and only while the connection is up.
 */
export interface Lane {
  enqueue(item: Outgoing): void;
  readonly queued: number;
  readonly inFlight: number;
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
  close(reason: Error): void;
}

/** Creates the send queue of one connection. */
export function createLane(options: LaneOptions): Lane {
  const { link, throttle, maxInFlight } = options;
  const queue: Outgoing[] = [];
  let head = 0;
  let inFlight = 0;
  let pumping = false;
  let closed: Error | undefined;
  let idleWaiters: (() => void)[] = [];
  let nextSeq = 0;

  const settleIdle = () => {
    if (queue.length - head > 0 || inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (!closed && link.connected && head < queue.length && inFlight < maxInFlight) {
        const item = queue[head]!;
        await throttle.acquire(item.payload.byteLength);
        // The connection may have dropped while waiting; the item stays first in line.
        if (closed || !link.connected) break;
        // A publish lost with the connection may have gone back in line ahead of it meanwhile.
        if (queue[head] !== item) continue;
        head++;
        if (head > 1024 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        inFlight++;
        link.publish(item.topic, item.payload, { qos: item.qos, retain: item.retain }).then(
          () => done(item),
          (error: Error) => done(item, error),
        );
      }
    } catch {
      // The throttle was closed: close() rejects what is left.
    } finally {
      pumping = false;
    }
  };

  const done = (item: Outgoing, error?: Error) => {
    inFlight--;
    if (error && (error as { retryable?: unknown }).retryable === true && !closed) requeue(item);
    else if (error) item.reject(error);
    else item.resolve();
    settleIdle();
    void pump();
  };

  // The connection dropped before the acknowledgement: send it again, ahead of everything queued after it.
  const requeue = (item: Outgoing) => {
    let at = head;
    while (at < queue.length && queue[at]!.seq! < item.seq!) at++;
    queue.splice(at, 0, item);
  };

  link.onConnectionChange((connected) => {
    if (connected) void pump();
  });

  return {
    enqueue(item) {
      if (closed) return item.reject(closed);
      item.seq = nextSeq++;
      queue.push(item);
      void pump();
    },
    get queued() {
      return queue.length - head;
    },
    get inFlight() {
      return inFlight;
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
    close(reason) {
      closed = reason;
      throttle.close(reason);
      for (const item of queue.splice(head)) item.reject(reason);
      queue.length = 0;
      head = 0;
      settleIdle();
    },
  };
}

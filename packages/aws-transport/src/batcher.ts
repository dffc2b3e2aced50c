import { AWS_IOT_LIMITS } from './limits.js';
import { type Clock, systemClock } from './clock.js';

export interface BatchingOptions {
  /** Largest batch payload in bytes (the JSON array text). @default 65536 */
  maxBytes?: number;
  /** Longest time the first message of a batch waits before the batch is sent. @default 250 */
  maxLatencyMs?: number;
  /** Most messages in one batch. @default 1000 */
  maxMessages?: number;
}

/** A batch ready to send: one topic, a JSON array of the members' payloads. */
export interface Batch<Member> {
  topic: string;
  /** `[member1,member2,…]` as UTF-8 text. */
  payload: Buffer;
  members: Member[];
}

export interface Batcher<Member> {
  /** Adds one member whose payload is already JSON text. */
  add(topic: string, json: string, member: Member): void;
  /** Sends every open batch now. */
  flush(): void;
  /** Members waiting in open batches. */
  readonly pending: number;
}

interface OpenBatch<Member> {
  parts: string[];
  bytes: number;
  members: Member[];
  timer: unknown;
}

/** Packs messages for the same topic into JSON array payloads within a size and latency budget. */
export function createBatcher<Member>(
  options: BatchingOptions & { clock?: Clock; emit: (batch: Batch<Member>) => void },
): Batcher<Member> {
  const clock = options.clock ?? systemClock;
  const maxBytes = Math.min(options.maxBytes ?? 65_536, AWS_IOT_LIMITS.maxPayloadBytes);
  const maxLatencyMs = options.maxLatencyMs ?? 250;
  const maxMessages = options.maxMessages ?? 1000;
  const open = new Map<string, OpenBatch<Member>>();
  let pending = 0;

  const send = (topic: string) => {
    const batch = open.get(topic);
    if (!batch) return;
    open.delete(topic);
    clock.clearTimeout(batch.timer);
    pending -= batch.members.length;
    options.emit({ topic, payload: Buffer.from(`[${batch.parts.join(',')}]`), members: batch.members });
  };

  return {
    add(topic, json, member) {
      const size = Buffer.byteLength(json);
      let batch = open.get(topic);
      // `[`, `]` and one comma per member beyond the first.
      if (batch && batch.bytes + size + 1 > maxBytes) {
        send(topic);
        batch = undefined;
      }
      if (!batch) {
        batch = { parts: [], bytes: 1, members: [], timer: undefined };
        const opened = batch;
        batch.timer = clock.setTimeout(() => open.get(topic) === opened && send(topic), maxLatencyMs);
        open.set(topic, batch);
      }
      batch.parts.push(json);
      batch.bytes += size + 1;
      batch.members.push(member);
      pending++;
      if (batch.members.length >= maxMessages || batch.bytes >= maxBytes) send(topic);
    },
    flush() {
      for (const topic of [...open.keys()]) send(topic);
    },
    get pending() {
      return pending;
    },
  };
}

import type { Message } from '@iiot/core';
import { BufferError } from '../errors.js';
import type { BufferLimits, BufferRecord, BufferStats, BufferStore, OverflowPolicy } from '../store.js';
import { encodeMessage } from './codec.js';

/** What a store knows about its oldest record without decoding it. */
export interface HeadRecord {
  seq: number;
  /** Encoded size of the message (the record body), in bytes. */
  size: number;
  timestamp: number;
}

/** The state a store starts from: empty, or what recovery found on disk. */
export interface StoreStart {
  lastSeq: number;
  messages: number;
  bytes: number;
  corrupted: number;
}

interface Blocked {
  body: Buffer;
  resolve: (seq: number | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Limits, overflow policies, expiry and counters shared by every store; a subclass supplies the storage.
 * Sequence numbers are assigned synchronously in call order, which is what makes the store FIFO.
 */
export abstract class BoundedStore implements BufferStore {
  protected lastSeq: number;
  private messages: number;
  private bytes: number;
  private dropped = 0;
  private expired = 0;
  private readonly corrupted: number;
  private closed = false;
  private readonly blocked: Blocked[] = [];
  private readonly maxBytes: number;
  private readonly maxMessages: number;
  private readonly maxAgeMs: number;
  private readonly policy: OverflowPolicy;
  private readonly now: () => number;

  constructor(
    limits: BufferLimits,
    start: StoreStart,
    /** Bytes a subclass wants free in front of each encoded body (its framing). */
    private readonly headroom = 0,
  ) {
    this.maxBytes = positive(limits.maxBytes, 'maxBytes');
    this.maxMessages = positive(limits.maxMessages, 'maxMessages');
    this.maxAgeMs = positive(limits.maxAgeMs, 'maxAgeMs');
    this.policy = limits.onOverflow ?? 'drop-oldest';
    this.now = limits.now ?? Date.now;
    ({ lastSeq: this.lastSeq, messages: this.messages, bytes: this.bytes, corrupted: this.corrupted } = start);
  }

  /** Persists `body` (with `headroom` bytes in front) as record `seq`; resolves once durable. */
  protected abstract write(seq: number, body: Buffer): Promise<void>;
  /** The oldest unacknowledged record, if any. */
  protected abstract head(): HeadRecord | undefined;
  /** Removes records from the head for as long as `remove` returns true. */
  protected abstract removeHead(remove: (record: HeadRecord) => boolean): void;
  /** Up to `limit` records with a sequence number above `after`, oldest first. */
  protected abstract readAfter(after: number, limit: number): BufferRecord[];
  /** Makes the removals so far durable. */
  protected abstract commitHead(): Promise<void>;
  /** Releases the storage once no more calls can arrive. */
  protected abstract release(): Promise<void>;

  append(message: Message): Promise<number | undefined> {
    // Not an async function: this is the hot path, and each promise saved shows in the throughput.
    try {
      this.assertOpen();
      const body = encodeMessage(message, this.headroom);
      const size = body.length - this.headroom;
      if (size > this.maxBytes) {
        throw new BufferError(
          'BUFFER_RECORD_TOO_LARGE',
          `A message on ${message.topic} encodes to ${size} bytes, more than the buffer's maxBytes (${this.maxBytes}): raise maxBytes or send smaller messages.`,
          { details: { topic: message.topic, size, maxBytes: this.maxBytes } },
        );
      }
      this.expire();
      if (this.blocked.length === 0 && this.fits(size)) return this.store(body);
      switch (this.policy) {
        case 'drop-newest':
          this.dropped++;
          return Promise.resolve(undefined);
        case 'drop-oldest':
          this.removeHead((record) => {
            if (this.fits(size)) return false;
            this.forget(record);
            this.dropped++;
            return true;
          });
          return this.store(body);
        case 'block':
          return new Promise((resolve, reject) => this.blocked.push({ body, resolve, reject }));
      }
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async read(limit: number, after = 0): Promise<BufferRecord[]> {
    this.assertOpen();
    this.expire();
    return limit > 0 ? this.readAfter(after, limit) : [];
  }

  async ack(seq: number): Promise<void> {
    this.assertOpen();
    this.removeHead((record) => {
      if (record.seq > seq) return false;
      this.forget(record);
      return true;
    });
    this.admitBlocked();
    await this.commitHead();
  }

  stats(): BufferStats {
    this.assertOpen();
    this.expire();
    const head = this.head();
    return {
      messages: this.messages,
      bytes: this.bytes,
      oldestAgeMs: head ? Math.max(0, this.now() - head.timestamp) : undefined,
      lastSeq: this.lastSeq,
      dropped: this.dropped,
      expired: this.expired,
      corrupted: this.corrupted,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.blocked.splice(0)) waiter.reject(this.closedError());
    await this.release();
  }

  /** Takes back the newest `count` records (`bytes` in all) whose write failed, so their numbers are reused. */
  protected unstore(count: number, bytes: number): void {
    this.lastSeq -= count;
    this.messages -= count;
    this.bytes -= bytes;
  }

  protected assertOpen(): void {
    if (this.closed) throw this.closedError();
  }

  private store(body: Buffer): Promise<number> {
    const seq = ++this.lastSeq;
    this.messages++;
    this.bytes += body.length - this.headroom;
    return this.write(seq, body).then(() => seq);
  }

  private forget(record: HeadRecord): void {
    this.messages--;
    this.bytes -= record.size;
  }

  private fits(size: number): boolean {
    return this.messages + 1 <= this.maxMessages && this.bytes + size <= this.maxBytes;
  }

  private expire(): void {
    if (this.maxAgeMs === Number.POSITIVE_INFINITY) return;
    const cutoff = this.now() - this.maxAgeMs;
    // The head is cached by stores, so the common case (nothing to expire) costs no I/O.
    if ((this.head()?.timestamp ?? cutoff) >= cutoff) return;
    let removed = false;
    this.removeHead((record) => {
      if (record.timestamp >= cutoff) return false;
      this.forget(record);
      this.expired++;
      return (removed = true);
    });
    if (removed) this.admitBlocked();
  }

  private admitBlocked(): void {
    while (this.blocked.length > 0 && this.fits(this.blocked[0]!.body.length - this.headroom)) {
      const waiter = this.blocked.shift()!;
      this.store(waiter.body).then(waiter.resolve, waiter.reject);
    }
  }

  private closedError(): BufferError {
    return new BufferError('BUFFER_CLOSED', 'The buffer is closed: open a new one to go on using its directory.');
  }
}

function positive(value: number | undefined, name: string): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (!(value > 0)) {
    throw new BufferError('BUFFER_OPTIONS_INVALID', `Buffer option ${name} must be a positive number, got ${value}.`);
  }
  return value;
}

import type { Message } from '@iiot/core';

/** What a buffer does when an append would exceed `maxBytes` or `maxMessages`. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'block';

/** One stored message with its sequence number (strictly increasing, never reused by a store). */
export interface BufferRecord {
  seq: number;
  message: Message;
}

/** A snapshot of a store's size and counters since it was opened. */
export interface BufferStats {
  /** Messages stored and not yet acknowledged. */
  messages: number;
  /** Encoded size of those messages in bytes (see the README for the encoding). */
  bytes: number;
  /** Age of the oldest stored message (now minus its `timestamp`), `undefined` when empty. */
  oldestAgeMs: number | undefined;
  /** Sequence number of the newest message ever appended; 0 before the first. */
  lastSeq: number;
  /** Messages removed by the overflow policy (`drop-oldest` or `drop-newest`). */
  dropped: number;
  /** Messages removed because they were older than `maxAgeMs`. */
  expired: number;
  /** Messages found unreadable (checksum or framing) when the store was opened, and skipped. */
  corrupted: number;
}

/**
 * The plug-in point for storage: an ordered, bounded queue with acknowledgements. Every implementation runs
 * the contract test suite in this package's tests.
 */
export interface BufferStore {
  /**
   * Stores a message after every earlier append (call order is FIFO order). Resolves with its sequence number
   * once stored as durably as the store promises, or `undefined` when `drop-newest` discarded it; with
   * `block` it waits for room.
   */
  append(message: Message): Promise<number | undefined>;
  /** Up to `limit` unacknowledged records with a sequence number above `after` (default: from the head), oldest first. */
  read(limit: number, after?: number): Promise<BufferRecord[]>;
  /** Acknowledges every record up to and including `seq`; they are never read again. */
  ack(seq: number): Promise<void>;
  /** Current size and counters; applies `maxAgeMs` first. */
  stats(): BufferStats;
  /** Waits for pending writes, releases files and locks; later calls reject with `BUFFER_CLOSED`. */
  close(): Promise<void>;
}

/** Limits shared by every store. */
export interface BufferLimits {
  /** Upper bound on the encoded bytes stored. @default Infinity */
  maxBytes?: number;
  /** Upper bound on the number of messages stored. @default Infinity */
  maxMessages?: number;
  /** Messages whose `timestamp` is older than this are expired (counted, never read). @default Infinity */
  maxAgeMs?: number;
  /** What happens when an append would exceed `maxBytes` or `maxMessages`. @default 'drop-oldest' */
  onOverflow?: OverflowPolicy;
  /** The clock used for `maxAgeMs`, replaceable in tests. @default Date.now */
  now?: () => number;
}

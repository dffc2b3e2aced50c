import type { BufferLimits, BufferRecord, BufferStore } from './store.js';
import { BoundedStore, type HeadRecord } from './_internal/bounded-store.js';
import { decodeMessage } from './_internal/codec.js';

/** Options of `createMemoryBuffer`: only the limits every store has. */
export type MemoryBufferOptions = BufferLimits;

const STORED = Promise.resolve();

interface Entry {
  seq: number;
  body: Buffer;
}

/**
 * A buffer held in memory: same contract as the disk buffer, lost on restart. Messages are stored encoded, so
 * later changes to a message object do not reach the buffer and sizes match the disk buffer's.
 */
export function createMemoryBuffer(options: MemoryBufferOptions = {}): BufferStore {
  return new MemoryStore(options);
}

class MemoryStore extends BoundedStore {
  private entries: Entry[] = [];
  private first = 0;

  constructor(options: MemoryBufferOptions) {
    super(options, { lastSeq: 0, messages: 0, bytes: 0, corrupted: 0 });
  }

  protected write(seq: number, body: Buffer): Promise<void> {
    this.entries.push({ seq, body });
    return STORED;
  }

  protected head(): HeadRecord | undefined {
    const entry = this.entries[this.first];
    return entry && { seq: entry.seq, size: entry.body.length, timestamp: entry.body.readDoubleLE(0) };
  }

  protected removeHead(remove: (record: HeadRecord) => boolean): void {
    for (let record = this.head(); record && remove(record); record = this.head()) {
      this.entries[this.first++] = undefined as unknown as Entry;
    }
    // Compact once the removed prefix dominates, so removal stays O(1) amortised.
    if (this.first > 1024 && this.first * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.first);
      this.first = 0;
    }
  }

  protected readAfter(after: number, limit: number): BufferRecord[] {
    let lo = this.first;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.entries
      .slice(lo, lo + limit)
      .map((entry) => ({ seq: entry.seq, message: decodeMessage(entry.body, 0, entry.body.length) }));
  }

  protected async commitHead(): Promise<void> {}

  protected async release(): Promise<void> {
    this.entries = [];
    this.first = 0;
  }
}

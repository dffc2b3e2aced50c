import { closeSync, ftruncateSync, openSync, unlinkSync, writeSync, writevSync } from 'node:fs';
import { resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { BufferError, fileSystemError } from './errors.js';
import type { BufferLimits, BufferRecord, BufferStore } from './store.js';
import { BoundedStore, type HeadRecord } from './_internal/bounded-store.js';
import { decodeMessage } from './_internal/codec.js';
import type { CursorFile } from './_internal/cursor-file.js';
import { lockDirectory, makeDirectory } from './_internal/directory.js';
import { bodyLength, FRAME_HEADER, frameSeq, SEGMENT_MAGIC, sealFrame } from './_internal/frames.js';
import { GroupSync } from './_internal/group-sync.js';
import { type Recovered, recover } from './_internal/recover.js';
import { createSegment, forEachFrame, type Segment } from './_internal/segment.js';

/** Options of `createDiskBuffer`. */
export interface DiskBufferOptions extends BufferLimits {
  /** Directory the buffer owns (created when missing); one process at a time, guarded by a LOCK file. */
  dir: string;
  /**
   * When data reaches the device. `'always'`: an append or ack resolves only after fdatasync (many concurrent
   * calls share one). `{ everyMs }`: it resolves once written to the operating system, which survives a crash
   * of the process, and the device is synced at most `everyMs` later, the window a power cut can lose.
   * @default { everyMs: 100 }
   */
  sync?: 'always' | { everyMs: number };
  /** A new segment file starts past this size; a segment is deleted once fully acknowledged. @default 16 MiB */
  segmentBytes?: number;
}

interface Pending {
  seq: number;
  frame: Buffer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Position {
  segment: Segment;
  offset: number;
}

/**
 * Opens (or creates) a durable buffer in `options.dir`: an append-only segmented log with a CRC-32 per record
 * and a persisted acknowledgement cursor. Recovery on open skips and counts unreadable records.
 */
export async function createDiskBuffer(options: DiskBufferOptions): Promise<BufferStore> {
  const dir = resolve(options.dir);
  const sync = options.sync ?? { everyMs: 100 };
  if (sync !== 'always' && !(sync.everyMs >= 0)) {
    throw new BufferError('BUFFER_OPTIONS_INVALID', `Disk buffer ${dir}: sync must be 'always' or { everyMs: n ≥ 0 }.`);
  }
  const attempt = <T>(action: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw error instanceof BufferError ? error : fileSystemError(error, action, dir);
    }
  };
  attempt('create the buffer directory', () => makeDirectory(dir));
  const unlock = attempt('lock the buffer directory', () => lockDirectory(dir));
  try {
    const recovered = attempt('recover the buffer in', () => recover(dir));
    const dirFd = attempt('open the buffer directory', () => openSync(dir, 'r'));
    return new DiskStore(options, dir, sync, recovered, dirFd, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

class DiskStore extends BoundedStore {
  private readonly segments: Segment[];
  private headOffset: number;
  private ackedSeq: number;
  private readonly cursor: CursorFile;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private readonly group: GroupSync;
  private syncTimer: NodeJS.Timeout | undefined;
  private backgroundError: unknown;
  private readPosition: (Position & { seq: number }) | undefined;
  private headCache: HeadRecord | undefined;
  private readonly segmentBytes: number;

  constructor(
    options: DiskBufferOptions,
    private readonly dir: string,
    private readonly sync: 'always' | { everyMs: number },
    recovered: Recovered,
    private readonly dirFd: number,
    private readonly unlock: () => void,
  ) {
    super(options, recovered, FRAME_HEADER);
    ({ segments: this.segments, headOffset: this.headOffset, ackedSeq: this.ackedSeq, cursor: this.cursor } = recovered);
    this.segmentBytes = options.segmentBytes ?? 16 * 2 ** 20;
    this.group = new GroupSync(dirFd, (error) => (this.backgroundError = error));
  }

  protected write(seq: number, frame: Buffer): Promise<void> {
    if (this.backgroundError !== undefined) {
      const error = this.backgroundError;
      this.backgroundError = undefined;
      this.unstore(1, frame.length - FRAME_HEADER);
      return Promise.reject(fileSystemError(error, 'sync', this.dir));
    }
    sealFrame(frame, seq);
    return new Promise((resolve, reject) => {
      this.pending.push({ seq, frame, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.writePending());
      }
    });
  }

  /** Writes every pending frame (one writev per segment), then resolves or queues their appends for sync. */
  private writePending(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    let i = 0;
    while (i < batch.length) {
      let segment = this.segments.at(-1)!;
      let j = i;
      let bytes = 0;
      try {
        if (segment.size > SEGMENT_MAGIC.length && segment.size + batch[i]!.frame.length > this.segmentBytes) {
          segment = this.roll(batch[i]!.seq);
        }
        while (j < batch.length && (j === i || segment.size + bytes + batch[j]!.frame.length <= this.segmentBytes)) {
          bytes += batch[j++]!.frame.length;
        }
        writeAll(segment.fd, batch.slice(i, j).map((p) => p.frame), bytes, segment.size);
      } catch (error) {
        this.failWrites(segment, batch.slice(i), error);
        break;
      }
      segment.size += bytes;
      segment.lastSeq = batch[j - 1]!.seq;
      this.group.mark(segment.fd);
      this.settle(batch.slice(i, j));
      i = j;
    }
  }

  private settle(written: Pending[]): void {
    if (this.sync === 'always') {
      this.group.wait().then(
        () => {
          for (const p of written) p.resolve();
        },
        (error) => {
          for (const p of written) p.reject(fileSystemError(error, 'sync', this.dir));
        },
      );
    } else {
      for (const p of written) p.resolve();
      this.armTimer();
    }
  }

  private failWrites(segment: Segment, failed: Pending[], error: unknown): void {
    try {
      ftruncateSync(segment.fd, segment.size);
    } catch {}
    this.unstore(failed.length, failed.reduce((sum, p) => sum + p.frame.length - FRAME_HEADER, 0));
    const reason = fileSystemError(error, 'append to', segment.path);
    for (const p of failed) p.reject(reason);
  }

  private roll(firstSeq: number): Segment {
    const segment = createSegment(this.dir, firstSeq);
    this.segments.push(segment);
    this.group.mark(segment.fd);
    this.group.mark(this.dirFd);
    return segment;
  }

  private armTimer(): void {
    if (this.sync === 'always' || this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      void this.group.run();
    }, this.sync.everyMs);
    this.syncTimer.unref();
  }

  protected head(): HeadRecord | undefined {
    if (this.headCache) return this.headCache;
    this.writePending();
    this.visitFrom(this.headPosition(), (chunk, at) => {
      this.headCache = recordAt(chunk, at);
      return false;
    });
    return this.headCache;
  }

  protected removeHead(remove: (record: HeadRecord) => boolean): void {
    this.writePending();
    let removed = false;
    const end = this.visitFrom(this.headPosition(), (chunk, at) => {
      const record = recordAt(chunk, at);
      if (!remove(record)) return false;
      this.ackedSeq = record.seq;
      return (removed = true);
    });
    if (!removed) return;
    this.headCache = undefined;
    while (this.segments[0] !== end.segment) this.dropOldestSegment();
    this.headOffset = end.offset;
    this.cursor.write({ ackedSeq: this.ackedSeq, lastSeq: this.lastSeq });
    this.group.mark(this.cursor.fd);
    this.armTimer();
  }

  protected readAfter(after: number, limit: number): BufferRecord[] {
    this.writePending();
    const cached = this.readPosition;
    const start = cached && cached.seq === after && this.isAtOrAfterHead(cached) ? cached : this.headPosition();
    const records: BufferRecord[] = [];
    const end = this.visitFrom(start, (chunk, at) => {
      const seq = frameSeq(chunk, at);
      if (seq <= after) return true;
      if (records.length === limit) return false;
      const frameEnd = at + FRAME_HEADER + bodyLength(chunk, at);
      // Checked again on read: the device may have changed the bytes since recovery looked at them.
      if (crc32(chunk.subarray(at + 8, frameEnd)) !== chunk.readUInt32LE(at + 4)) this.countCorrupted(1);
      else records.push({ seq, message: decodeMessage(chunk.subarray(at + FRAME_HEADER, frameEnd)) });
      return true;
    });
    this.readPosition = { ...end, seq: records.at(-1)?.seq ?? after };
    return records;
  }

  protected commitHead(): Promise<void> {
    return this.sync === 'always' ? this.group.wait() : Promise.resolve();
  }

  protected async release(): Promise<void> {
    clearTimeout(this.syncTimer);
    this.writePending();
    // Whatever the sync policy, a closed buffer is on the device.
    await this.group.wait().catch(() => {});
    for (const segment of this.segments) closeSync(segment.fd);
    closeSync(this.cursor.fd);
    closeSync(this.dirFd);
    this.unlock();
  }

  private headPosition(): Position {
    return { segment: this.segments[0]!, offset: this.headOffset };
  }

  private isAtOrAfterHead(position: Position): boolean {
    const index = this.segments.indexOf(position.segment);
    return index > 0 || (index === 0 && position.offset >= this.headOffset);
  }

  /** Visits records from `from` on, across segments, until `visit` returns false; returns where it stopped. */
  private visitFrom(from: Position, visit: (chunk: Buffer, at: number) => boolean): Position {
    let index = this.segments.indexOf(from.segment);
    let offset = from.offset;
    for (;;) {
      const segment = this.segments[index]!;
      let stopped = false;
      offset = forEachFrame(segment, offset, (chunk, at) => {
        stopped = !visit(chunk, at);
        return !stopped;
      });
      if (stopped || index === this.segments.length - 1) return { segment, offset };
      index++;
      offset = SEGMENT_MAGIC.length;
    }
  }

  private dropOldestSegment(): void {
    const segment = this.segments.shift()!;
    unlinkSync(segment.path);
    this.group.mark(this.dirFd);
    this.group.retire(segment.fd, () => closeSync(segment.fd));
  }
}

/** writev that finishes a short write (a nearly full disk) or throws, so `size` never runs ahead of the file. */
function writeAll(fd: number, frames: Buffer[], bytes: number, position: number): void {
  const written = writevSync(fd, frames, position);
  if (written === bytes) return;
  const rest = Buffer.concat(frames).subarray(written);
  for (let at = 0; at < rest.length; ) {
    const n = writeSync(fd, rest, at, rest.length - at, position + written + at);
    if (n === 0) throw Object.assign(new Error('no progress writing'), { code: 'ENOSPC' });
    at += n;
  }
}

function recordAt(chunk: Buffer, at: number): HeadRecord {
  return { seq: frameSeq(chunk, at), size: bodyLength(chunk, at), timestamp: chunk.readDoubleLE(at + FRAME_HEADER) };
}

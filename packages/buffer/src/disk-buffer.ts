import { closeSync, openSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { BufferError, fileSystemError } from './errors.js';
import type { BufferLimits, BufferRecord, BufferStore } from './store.js';
import { BoundedStore, type HeadRecord } from './_internal/bounded-store.js';
import { decodeMessage } from './_internal/codec.js';
import type { CursorFile } from './_internal/cursor-file.js';
import { lockDirectory, makeDirectory } from './_internal/directory.js';
import { bodyLength, FRAME_HEADER, frameSeq, SEGMENT_MAGIC } from './_internal/frames.js';
import { LogWriter } from './_internal/log-writer.js';
import { GroupSync } from './_internal/group-sync.js';
import { type Recovered, recover } from './_internal/recover.js';
import { type Chunk, createChunk, forEachFrame, type Segment } from './_internal/segment.js';

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
  private readonly group: GroupSync;
  private readonly writer: LogWriter;
  private syncTimer: NodeJS.Timeout | undefined;
  private backgroundError: unknown;
  private readPosition: (Position & { seq: number }) | undefined;
  private headCache: HeadRecord | undefined;
  /** Separate windows for the head (acknowledgements, expiry) and for the reader, which move independently. */
  private readonly headChunk = createChunk();
  private readonly readChunk = createChunk();

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
    this.group = new GroupSync(dirFd, (error) => (this.backgroundError = error));
    this.writer = new LogWriter({
      dir,
      segments: this.segments,
      segmentBytes: options.segmentBytes ?? 16 * 2 ** 20,
      sync,
      group: this.group,
      dirFd,
      unstore: (count, bytes) => this.unstore(count, bytes),
      armTimer: () => this.armTimer(),
    });
  }

  protected write(seq: number, frame: Buffer): Promise<void> {
    if (this.backgroundError !== undefined) {
      const error = this.backgroundError;
      this.backgroundError = undefined;
      this.unstore(1, frame.length - FRAME_HEADER);
      return Promise.reject(fileSystemError(error, 'sync', this.dir));
    }
    return this.writer.write(seq, frame);
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
    this.writer.flush();
    this.visitFrom(this.headPosition(), this.headChunk, (bytes, at) => {
      this.headCache = recordAt(bytes, at);
      return false;
    });
    return this.headCache;
  }

  protected removeHead(remove: (record: HeadRecord) => boolean): void {
    this.writer.flush();
    let removed = false;
    const end = this.visitFrom(this.headPosition(), this.headChunk, (bytes, at) => {
      const record = recordAt(bytes, at);
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
    this.writer.flush();
    const cached = this.readPosition;
    const start = cached && cached.seq === after && this.isAtOrAfterHead(cached) ? cached : this.headPosition();
    const records: BufferRecord[] = [];
    const end = this.visitFrom(start, this.readChunk, (bytes, at) => {
      const seq = frameSeq(bytes, at);
      if (seq <= after) return true;
      if (records.length === limit) return false;
      // Checksums were verified when the buffer was opened; later records were written by this process.
      records.push({ seq, message: decodeMessage(bytes, at + FRAME_HEADER, at + FRAME_HEADER + bodyLength(bytes, at)) });
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
    this.writer.flush();
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
  private visitFrom(from: Position, chunk: Chunk, visit: (bytes: Buffer, at: number) => boolean): Position {
    let index = this.segments.indexOf(from.segment);
    let offset = from.offset;
    for (;;) {
      const segment = this.segments[index]!;
      let stopped = false;
      offset = forEachFrame(
        segment,
        offset,
        (bytes, at) => {
          stopped = !visit(bytes, at);
          return !stopped;
        },
        chunk,
      );
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

function recordAt(bytes: Buffer, at: number): HeadRecord {
  return { seq: frameSeq(bytes, at), size: bodyLength(bytes, at), timestamp: bytes.readDoubleLE(at + FRAME_HEADER) };
}

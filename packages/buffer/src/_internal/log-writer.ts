import { ftruncateSync, writeSync, writevSync } from 'node:fs';
import { fileSystemError } from '../errors.js';
import { FRAME_HEADER, SEGMENT_MAGIC, sealFrame } from './frames.js';
import type { GroupSync } from './group-sync.js';
import { createSegment, type Segment } from './segment.js';

/** Frames bound for one segment file, written with one writev; its appends share one promise. */
interface WriteGroup {
  frames: Buffer[];
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  /** The group starts a new segment file (the previous one is full). */
  roll: boolean;
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Where the writer reports to its store. */
export interface LogWriterHost {
  readonly dir: string;
  /** The store's segments, oldest first; the writer appends new ones. */
  readonly segments: Segment[];
  readonly segmentBytes: number;
  readonly sync: 'always' | { everyMs: number };
  readonly group: GroupSync;
  readonly dirFd: number;
  /** Takes back records whose write failed (the newest `count`, `bytes` of bodies). */
  unstore(count: number, bytes: number): void;
  /** Called after a write that still needs a sync under `{ everyMs }`. */
  armTimer(): void;
}

/**
 * Collects appended frames and writes them in batches: on the next turn of the event loop, or at once when a
 * reader needs the file up to date. Segment boundaries are decided when a frame is queued, so every frame of
 * a group goes to one file and a failed write takes back exactly the groups from that one on.
 */
export class LogWriter {
  private groups: WriteGroup[] = [];
  private queuedEnd: number;
  private scheduled = false;

  constructor(private readonly host: LogWriterHost) {
    this.queuedEnd = host.segments.at(-1)!.size;
  }

  /** Queues record `seq`, encoded with `FRAME_HEADER` bytes of headroom; resolves once durable per policy. */
  write(seq: number, frame: Buffer): Promise<void> {
    sealFrame(frame, seq);
    const roll = this.queuedEnd > SEGMENT_MAGIC.length && this.queuedEnd + frame.length > this.host.segmentBytes;
    let group = this.groups.at(-1);
    if (!group || roll) {
      group = newGroup(seq, roll);
      this.groups.push(group);
      if (roll) this.queuedEnd = SEGMENT_MAGIC.length;
    }
    group.frames.push(frame);
    group.bytes += frame.length;
    group.lastSeq = seq;
    this.queuedEnd += frame.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return group.promise;
  }

  /** Writes everything queued. Failures reject the appends concerned; they are not thrown here. */
  flush(): void {
    this.scheduled = false;
    const groups = this.groups;
    this.groups = [];
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i]!;
      let segment = this.host.segments.at(-1)!;
      try {
        if (group.roll) segment = this.roll(group.firstSeq);
        writeAll(segment.fd, group.frames, group.bytes, segment.size);
      } catch (error) {
        this.fail(segment, groups.slice(i), error);
        return;
      }
      segment.size += group.bytes;
      segment.lastSeq = group.lastSeq;
      this.host.group.mark(segment.fd);
      this.settle(group);
    }
  }

  private settle(group: WriteGroup): void {
    if (this.host.sync !== 'always') {
      group.resolve();
      this.host.armTimer();
      return;
    }
    this.host.group.wait().then(group.resolve, (error) => group.reject(fileSystemError(error, 'sync', this.host.dir)));
  }

  private roll(firstSeq: number): Segment {
    const segment = createSegment(this.host.dir, firstSeq);
    this.host.segments.push(segment);
    this.host.group.mark(segment.fd);
    this.host.group.mark(this.host.dirFd);
    return segment;
  }

  private fail(segment: Segment, failed: WriteGroup[], error: unknown): void {
    try {
      ftruncateSync(segment.fd, segment.size);
    } catch {}
    this.queuedEnd = this.host.segments.at(-1)!.size;
    const count = failed.reduce((sum, g) => sum + g.frames.length, 0);
    this.host.unstore(count, failed.reduce((sum, g) => sum + g.bytes, 0) - count * FRAME_HEADER);
    const reason = fileSystemError(error, 'append to', segment.path);
    for (const group of failed) group.reject(reason);
  }
}

function newGroup(seq: number, roll: boolean): WriteGroup {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { frames: [], bytes: 0, firstSeq: seq, lastSeq: seq, roll, promise, resolve, reject };
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

import { closeSync, fstatSync, ftruncateSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { bodyLength, FRAME_HEADER, frameSeq, resync, SEGMENT_MAGIC, validFrame } from './frames.js';

/** One file of the log, kept open while the buffer is. */
export interface Segment {
  path: string;
  fd: number;
  /** Bytes of the file that hold records or holes; the next append goes here. */
  size: number;
  /** Sequence number of the last valid record; `firstSeq - 1` while it holds none. */
  lastSeq: number;
  /** Byte ranges [start, end) that recovery could not read; readers jump over them. */
  holes: Array<[number, number]>;
}

/** What recovery found in one segment. */
export interface SegmentScan {
  segment: Segment;
  /** Records (and their body bytes) with a seq above the acknowledged one. */
  messages: number;
  bytes: number;
  /** Records known to be lost: gaps in the sequence, plus one for an unreadable tail. */
  lost: number;
  /** Offset of the first record above the acknowledged seq, or `size` when there is none. */
  headOffset: number;
}

const NAME = /^(\d{16})\.seg$/;

/** Segment files of `dir` with the seq their name says they start at, oldest first. */
export function listSegments(dir: string): Array<{ path: string; firstSeq: number }> {
  return readdirSync(dir)
    .map((name) => NAME.exec(name))
    .filter((match) => match !== null)
    .map((match) => ({ path: join(dir, match[0]), firstSeq: Number(match[1]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** Creates the segment whose first record will be `firstSeq`. */
export function createSegment(dir: string, firstSeq: number): Segment {
  const path = join(dir, `${String(firstSeq).padStart(16, '0')}.seg`);
  const fd = openSync(path, 'wx+');
  writeSync(fd, SEGMENT_MAGIC, 0, SEGMENT_MAGIC.length, 0);
  return { path, fd, size: SEGMENT_MAGIC.length, lastSeq: firstSeq - 1, holes: [] };
}

/**
 * Opens and checks a segment: every frame's length, sequence and checksum. Unreadable ranges become holes; the
 * records they cost are counted from the gaps in the sequence (`prevLast` is the last seq before this file).
 * In the newest segment (`isLast`) an unreadable tail is cut off, so appends continue after the last good record.
 */
export function scanSegment(
  path: string,
  nameSeq: number,
  prevLast: number,
  ackedSeq: number,
  isLast: boolean,
  scratch: { buf: Buffer },
): SegmentScan {
  const fd = openSync(path, 'r+');
  const end = fstatSync(fd).size;
  // One buffer for every segment of a recovery, so opening a large backlog does not churn memory.
  if (scratch.buf.length < end) scratch.buf = Buffer.allocUnsafe(end);
  const buf = scratch.buf;
  readFully(fd, buf, 0, end, 0);
  const segment: Segment = { path, fd, size: end, lastSeq: 0, holes: [] };
  const scan: SegmentScan = { segment, messages: 0, bytes: 0, lost: 0, headOffset: end };
  const badMagic = end < SEGMENT_MAGIC.length || !buf.subarray(0, SEGMENT_MAGIC.length).equals(SEGMENT_MAGIC);
  let at = badMagic ? 0 : SEGMENT_MAGIC.length;
  // The file name says where the file starts, which bounds what a valid first frame may hold.
  let prev = Math.max(prevLast, nameSeq - 1);
  let counted = prevLast;
  while (at < end) {
    const length = validFrame(buf, at, end, prev);
    if (length === 0) {
      const next = resync(buf, at, end, prev);
      segment.holes.push([at, next ?? end]);
      if (next === undefined) {
        if (isLast) scan.lost += 1;
        break;
      }
      at = next;
      continue;
    }
    const seq = frameSeq(buf, at);
    scan.lost += Math.max(0, seq - Math.max(counted, ackedSeq) - 1);
    prev = counted = seq;
    if (seq > ackedSeq) {
      if (scan.headOffset === end) scan.headOffset = at;
      scan.messages++;
      scan.bytes += bodyLength(buf, at);
    }
    at += length;
  }
  segment.lastSeq = prev;
  if (isLast && end < SEGMENT_MAGIC.length) segment.holes.push([0, end]);
  const tail = segment.holes.at(-1);
  if (isLast && tail?.[1] === end) {
    // Nothing after an unreadable tail can be trusted; cut it off (or start the file afresh).
    segment.holes.pop();
    ftruncateSync(fd, tail[0]);
    if (tail[0] === 0) writeSync(fd, SEGMENT_MAGIC, 0, SEGMENT_MAGIC.length, 0);
    segment.size = Math.max(tail[0], SEGMENT_MAGIC.length);
    if (scan.headOffset === end) scan.headOffset = segment.size;
  }
  return scan;
}

/**
 * A window of one segment's bytes kept between calls. Records are never rewritten in place, so bytes once
 * read stay valid; a reader that moves forward through a file reads each byte once.
 */
export interface Chunk {
  segment: Segment | undefined;
  /** File offset of `bytes[0]`, and how many bytes are valid. */
  start: number;
  length: number;
  bytes: Buffer;
}

/** An empty chunk of `size` bytes (it grows for larger records). */
export function createChunk(size = 64 * 1024): Chunk {
  return { segment: undefined, start: 0, length: 0, bytes: Buffer.allocUnsafe(size) };
}

/**
 * Calls `visit` for each record of `segment` from byte `from` on, jumping over holes, until it returns false.
 * `visit` gets the chunk's bytes and the record's offset in them; it must copy what it keeps, as the bytes are
 * reused. Returns the file offset where it stopped (the record refused, or the end).
 */
export function forEachFrame(
  segment: Segment,
  from: number,
  visit: (bytes: Buffer, at: number) => boolean,
  chunk: Chunk,
): number {
  let offset = from;
  while (offset < segment.size) {
    const hole = segment.holes.find(([start, stop]) => offset >= start && offset < stop);
    if (hole) {
      offset = hole[1];
      continue;
    }
    let at = offset - chunk.start;
    if (chunk.segment !== segment || at < 0 || !fits(chunk, at)) {
      if (!fill(chunk, segment, offset)) break;
      at = 0;
    }
    while (fits(chunk, at)) {
      if (!visit(chunk.bytes, at)) return chunk.start + at;
      at += FRAME_HEADER + bodyLength(chunk.bytes, at);
    }
    offset = chunk.start + at;
  }
  return offset;
}

function fits(chunk: Chunk, at: number): boolean {
  return at + FRAME_HEADER <= chunk.length && at + FRAME_HEADER + bodyLength(chunk.bytes, at) <= chunk.length;
}

/** Reads from `offset` up to the next hole or the end of the data; false when no whole record can be had. */
function fill(chunk: Chunk, segment: Segment, offset: number): boolean {
  const limit = segment.holes.find(([start]) => start > offset)?.[0] ?? segment.size;
  for (;;) {
    chunk.segment = segment;
    chunk.start = offset;
    chunk.length = Math.min(chunk.bytes.length, limit - offset);
    readFully(segment.fd, chunk.bytes, 0, chunk.length, offset);
    if (fits(chunk, 0)) return true;
    // A record larger than the chunk: read again with room for it, unless the data simply ends here.
    if (chunk.length < chunk.bytes.length || chunk.length < FRAME_HEADER) return false;
    chunk.bytes = Buffer.allocUnsafe(Math.max(chunk.bytes.length * 2, FRAME_HEADER + bodyLength(chunk.bytes, 0)));
  }
}

/** Closes a segment's file descriptor, ignoring one that is already closed. */
export function closeSegment(segment: Segment): void {
  try {
    closeSync(segment.fd);
  } catch {}
}

function readFully(fd: number, buf: Buffer, at: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, at + done, length - done, position + done);
    if (n === 0) throw new Error(`unexpected end of file at ${position + done}`);
    done += n;
  }
}

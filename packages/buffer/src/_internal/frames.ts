import { crc32 } from 'node:zlib';

// A segment file starts with SEGMENT_MAGIC, then frames back to back:
// u32 body length | u32 CRC-32 of everything after it (seq and body) | u32 seq low | u32 seq high | body.
export const SEGMENT_MAGIC = Buffer.from('IIOTSEG1', 'latin1');
export const FRAME_HEADER = 16;
/** Sanity bound on one record, so a corrupted length cannot make a reader allocate gigabytes. */
export const MAX_BODY = 256 * 2 ** 20;
/** The smallest possible frame: header plus a body with an empty topic and payload. */
const MIN_FRAME = FRAME_HEADER + 15;
const TWO_32 = 2 ** 32;

/** Fills in the header of a frame whose body was encoded after `FRAME_HEADER` bytes of headroom. */
export function sealFrame(frame: Buffer, seq: number): void {
  frame.writeUInt32LE(frame.length - FRAME_HEADER, 0);
  frame.writeUInt32LE(seq % TWO_32, 8);
  frame.writeUInt32LE(Math.floor(seq / TWO_32), 12);
  frame.writeUInt32LE(crc32(frame.subarray(8)), 4);
}

/** Sequence number of the frame at `at` (header not checked). */
export function frameSeq(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at + 8) + buf.readUInt32LE(at + 12) * TWO_32;
}

/** Body length of the frame at `at` (header not checked). */
export function bodyLength(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at);
}

/**
 * Length of a valid frame at `at` in `buf[..end]` whose seq is above `prevSeq`, or 0 when the bytes there are
 * not one (torn, flipped, or garbage). The seq must also be small enough to be reachable from `prevSeq` in the
 * bytes that remain, which rejects garbage cheaply before the checksum is computed.
 */
export function validFrame(buf: Buffer, at: number, end: number, prevSeq: number): number {
  if (end - at < MIN_FRAME) return 0;
  const length = buf.readUInt32LE(at);
  const frameEnd = at + FRAME_HEADER + length;
  if (length < MIN_FRAME - FRAME_HEADER || length > MAX_BODY || frameEnd > end) return 0;
  const seq = frameSeq(buf, at);
  if (seq <= prevSeq || seq > prevSeq + 1 + Math.floor((end - at) / MIN_FRAME)) return 0;
  return crc32(buf.subarray(at + 8, frameEnd)) === buf.readUInt32LE(at + 4) ? frameEnd - at : 0;
}

/** Offset of the next valid frame after a bad one at `from`, or `undefined` when none follows. */
export function resync(buf: Buffer, from: number, end: number, prevSeq: number): number | undefined {
  for (let at = from + 1; at + MIN_FRAME <= end; at++) {
    if (validFrame(buf, at, end, prevSeq) > 0) return at;
  }
  return undefined;
}

import { constants, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

// Two 32-byte slots written alternately, each: f64 generation | f64 acknowledged seq | f64 last seq |
// u32 CRC-32 of the 24 bytes before | u32 zero. A write torn by a crash damages one slot only; the reader
// takes the valid slot with the higher generation.
const SLOT = 32;

/** The persisted acknowledgement cursor. */
export interface Cursor {
  /** Every record up to this seq is acknowledged. */
  ackedSeq: number;
  /** The newest seq ever handed out, so numbers stay increasing when every segment was deleted. */
  lastSeq: number;
}

/** The cursor file of a buffer directory, open for its lifetime. */
export interface CursorFile {
  readonly fd: number;
  readonly initial: Cursor;
  write(cursor: Cursor): void;
}

/** Opens (or creates) the cursor file at `path` and reads the newest valid slot. */
export function openCursorFile(path: string): CursorFile {
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  const slots = Buffer.alloc(2 * SLOT);
  const read = readSync(fd, slots, 0, slots.length, 0);
  let generation = 0;
  let initial: Cursor = { ackedSeq: 0, lastSeq: 0 };
  for (let slot = 0; slot < 2; slot++) {
    const at = slot * SLOT;
    if (at + SLOT > read || crc32(slots.subarray(at, at + 24)) !== slots.readUInt32LE(at + 24)) continue;
    const slotGeneration = slots.readDoubleLE(at);
    if (slotGeneration < generation) continue;
    generation = slotGeneration;
    initial = { ackedSeq: slots.readDoubleLE(at + 8), lastSeq: slots.readDoubleLE(at + 16) };
  }
  const buf = Buffer.alloc(SLOT);
  return {
    fd,
    initial,
    write(cursor) {
      generation++;
      buf.writeDoubleLE(generation, 0);
      buf.writeDoubleLE(cursor.ackedSeq, 8);
      buf.writeDoubleLE(cursor.lastSeq, 16);
      buf.writeUInt32LE(crc32(buf.subarray(0, 24)), 24);
      writeSync(fd, buf, 0, SLOT, (generation % 2) * SLOT);
    },
  };
}

import { closeSync, unlinkSync } from 'node:fs';
import { type CursorFile, openCursorFile } from './cursor-file.js';
import { closeSegment, createSegment, listSegments, type Segment, scanSegment } from './segment.js';
import { join } from 'node:path';

/** The state of a buffer directory after recovery. */
export interface Recovered {
  cursor: CursorFile;
  /** Remaining segments, oldest first; the last one takes appends. */
  segments: Segment[];
  /** Offset of the first unacknowledged record in `segments[0]`. */
  headOffset: number;
  ackedSeq: number;
  lastSeq: number;
  messages: number;
  bytes: number;
  corrupted: number;
}

/**
 * Reads the cursor, checks every segment and deletes those fully acknowledged. On failure every file opened
 * so far is closed again before the error is rethrown.
 */
export function recover(dir: string): Recovered {
  const cursor = openCursorFile(join(dir, 'cursor'));
  const segments: Segment[] = [];
  try {
    const { ackedSeq } = cursor.initial;
    const files = listSegments(dir);
    let prevLast = 0;
    let headOffset = 0;
    let messages = 0;
    let bytes = 0;
    let corrupted = 0;
    const scratch = { buf: Buffer.alloc(0) };
    files.forEach(({ path, firstSeq }, i) => {
      const isLast = i === files.length - 1;
      const scan = scanSegment(path, firstSeq, i === 0 ? firstSeq - 1 : prevLast, ackedSeq, isLast, scratch);
      prevLast = scan.segment.lastSeq;
      corrupted += scan.lost;
      if (scan.segment.lastSeq <= ackedSeq && !isLast) {
        closeSegment(scan.segment);
        unlinkSync(path);
        return;
      }
      if (segments.length === 0) headOffset = scan.headOffset;
      segments.push(scan.segment);
      messages += scan.messages;
      bytes += scan.bytes;
    });
    const lastSeq = Math.max(cursor.initial.lastSeq, ackedSeq, prevLast);
    if (segments.length === 0) {
      segments.push(createSegment(dir, lastSeq + 1));
      headOffset = segments[0]!.size;
    }
    return { cursor, segments, headOffset, ackedSeq, lastSeq, messages, bytes, corrupted };
  } catch (error) {
    segments.forEach(closeSegment);
    closeSync(cursor.fd);
    throw error;
  }
}

import { closeSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type BufferStore, createDiskBuffer, type DiskBufferOptions } from '../src/index.js';
import { readAll, recordOffsets, segmentFiles, tempDir } from './helpers.js';

const message = (n: number) => ({ topic: 'plant/line', payload: { n, pad: 'x'.repeat(40) }, timestamp: 1_000 + n });
const numbers = (records: Awaited<ReturnType<typeof readAll>>) =>
  records.map((r) => (r.message.payload as { n: number }).n);

describe('disk buffer across restarts', () => {
  const temp = tempDir('disk-recovery');
  const open: BufferStore[] = [];
  const openBuffer = async (options: Partial<DiskBufferOptions> = {}) => {
    const store = await createDiskBuffer({ dir: temp.dir, sync: 'always', segmentBytes: 1024, ...options });
    open.push(store);
    return store;
  };
  const closeAll = () => Promise.all(open.splice(0).map((store) => store.close()));
  afterEach(async () => {
    await closeAll();
    temp.cleanup();
  });

  it('keeps what was not acknowledged, forgets what was, and continues the sequence', async () => {
    const first = await openBuffer();
    for (let n = 0; n < 60; n++) await first.append(message(n));
    const segmentsBefore = segmentFiles(temp.dir).length;
    const records = await first.read(25);
    await first.ack(records.at(-1)!.seq);
    expect(segmentFiles(temp.dir).length).toBeLessThan(segmentsBefore);
    await closeAll();

    const second = await openBuffer();
    const left = await readAll(second);
    expect(numbers(left)).toStrictEqual(Array.from({ length: 35 }, (_, i) => 25 + i));
    expect(second.stats()).toMatchObject({ messages: 35, corrupted: 0, lastSeq: 60 });
    expect(await second.append(message(60))).toBe(61);
  });

  it('deletes every fully acknowledged segment, and the sequence survives an empty buffer', async () => {
    const first = await openBuffer();
    for (let n = 0; n < 60; n++) await first.append(message(n));
    expect(segmentFiles(temp.dir).length).toBeGreaterThan(3);
    await first.ack(60);
    expect(segmentFiles(temp.dir)).toHaveLength(1);
    await closeAll();
    const second = await openBuffer();
    expect(second.stats()).toMatchObject({ messages: 0, bytes: 0, lastSeq: 60 });
    expect(await second.append(message(61))).toBe(61);
  });

  it('detects flipped bytes and a torn tail, counts them, and delivers every other record', async () => {
    const first = await openBuffer();
    for (let n = 0; n < 40; n++) await first.append(message(n));
    await closeAll();
    const [oldest, middle, ...rest] = segmentFiles(temp.dir);
    const newest = rest.at(-1)!;
    const lostInNewest = (payloadOf(newest, recordOffsets(newest).length - 1) as { n: number }).n;
    const lostInOldest = (payloadOf(oldest!, 2) as { n: number }).n;
    const lostInMiddle = (payloadOf(middle!, 1) as { n: number }).n;
    // A flipped bit in a payload (checksum fails) and a garbled length field (framing lost until resync).
    flipByte(oldest!, recordOffsets(oldest!)[2]! + 30);
    flipByte(middle!, recordOffsets(middle!)[1]! + 1);
    // The newest segment's last record is cut short, as a crash during a write leaves it.
    truncateSync(newest, statSync(newest).size - 10);

    const second = await openBuffer();
    const survivors = numbers(await readAll(second));
    const lost = [lostInOldest, lostInMiddle, lostInNewest];
    expect(survivors).toStrictEqual(Array.from({ length: 40 }, (_, n) => n).filter((n) => !lost.includes(n)));
    expect(second.stats()).toMatchObject({ corrupted: 3, messages: 37 });
    // Appends continue cleanly after the cut-off tail.
    await second.append(message(100));
    await closeAll();
    const third = await openBuffer();
    expect(numbers(await readAll(third)).at(-1)).toBe(100);
    expect(third.stats().corrupted).toBe(2);
  });

  it('keeps the records behind a destroyed file header', async () => {
    const first = await openBuffer({ segmentBytes: 1 << 20 });
    for (let n = 0; n < 5; n++) await first.append(message(n));
    await closeAll();
    const [only] = segmentFiles(temp.dir);
    const fd = openSync(only!, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, 0);
    closeSync(fd);
    const second = await openBuffer();
    expect(second.stats()).toMatchObject({ messages: 4, corrupted: 1 });
    expect(numbers(await readAll(second))).toStrictEqual([1, 2, 3, 4]);
  });
});

function flipByte(file: string, at: number): void {
  const fd = openSync(file, 'r+');
  const byte = Buffer.alloc(1);
  byte[0] = readFileSync(file)[at]! ^ 0x5a;
  writeSync(fd, byte, 0, 1, at);
  closeSync(fd);
}

function payloadOf(file: string, index: number): unknown {
  const bytes = readFileSync(file);
  const at = recordOffsets(file)[index]!;
  const body = bytes.subarray(at + 16, at + 16 + bytes.readUInt32LE(at));
  const topicLength = body.readUInt16LE(9);
  const payloadAt = 11 + topicLength;
  return JSON.parse(body.toString('utf8', payloadAt + 4, payloadAt + 4 + body.readUInt32LE(payloadAt)));
}

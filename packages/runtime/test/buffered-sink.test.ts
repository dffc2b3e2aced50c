import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { IiotError, type Message } from '@iiot/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/index.js';
import { createBufferedSink } from '../src/resources/buffered-sink.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createBufferedSink', () => {
  it('skips, counts and logs a message the target refuses for good, and delivers the rest in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iiot-buffered-sink-'));
    dirs.push(dir);
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const delivered: string[] = [];
    const target = {
      publish(message: Message): Promise<void> {
        if (message.topic === 'cell/2') return Promise.reject(new IiotError('AWS_PAYLOAD_TOO_LARGE', 'the payload is too large'));
        delivered.push(`${message.topic} ${Buffer.from(message.payload as Uint8Array).toString()}`);
        return Promise.resolve();
      },
    };
    const buffered = await createBufferedSink(target, { dir, connectionId: 'cloud', log: createLogger({ destination }) });
    for (const n of [1, 2, 3]) await buffered.sink.publish({ topic: `cell/${n}`, payload: { n }, timestamp: 1 });
    await vi.waitFor(() => expect(buffered.metrics()).toMatchObject({ messages: 0, rejected: 1 }));
    await buffered.close(5_000);
    expect(delivered).toStrictEqual(['cell/1 {"n":1}', 'cell/3 {"n":3}']);
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { level: 40, topic: 'cell/2', err: { message: 'the payload is too large' }, msg: expect.stringContaining('refused a message for good') },
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiskBuffer } from '@iiot/buffer';
import type { Message } from '@iiot/core';
import { NEVER, Subject } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spoolToAws } from '../src/index.js';
import type { AwsIotEmulator } from '../src/emulator/index.js';
import { startStandIn, until } from './fixtures/stand-in.js';
import { closeAll, recordArrivals, transportTo } from './fixtures/transport.js';

describe('spoolToAws: a durable buffer in front of the transport', () => {
  let emulator: AwsIotEmulator;
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'iiot-aws-spool-'));
    dirs.push(dir);
    return dir;
  };
  const reading = (i: number): Message => ({ topic: 'spool/line1', payload: { i }, qos: 1, timestamp: Date.now() });

  beforeAll(async () => {
    emulator = await startStandIn();
  });
  afterEach(closeAll);
  afterAll(async () => {
    await emulator.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('spools during an outage and drains in order after the reconnection, within the throttle', async () => {
    const buffer = await createDiskBuffer({ dir: freshDir() });
    const transport = transportTo(emulator);
    const arrivals = recordArrivals(emulator);
    const input = new Subject<Message>();
    const confirmed: Message[] = [];
    const spool = spoolToAws(transport, buffer);
    const subscription = input.pipe(spool).subscribe((m) => confirmed.push(m));
    for (let i = 0; i < 30; i++) input.next(reading(i));
    await until(() => confirmed.length === 30);
    await emulator.stop();
    await until(() => !transport.status().connections[0]!.connected);
    for (let i = 30; i < 130; i++) input.next(reading(i));
    await until(() => buffer.stats().messages === 100);
    await emulator.start();
    await until(() => confirmed.length === 130, 15_000);
    await until(() => buffer.stats().messages === 0);
    subscription.unsubscribe();
    arrivals.stop();
    const seen = arrivals.byTopic.get('spool/line1')!.map((p) => JSON.parse(p).i as number);
    expect(seen.filter((i, at) => seen.indexOf(i) === at)).toEqual(Array.from({ length: 130 }, (_, i) => i));
    expect(emulator.stats().dropped).toBe(0);
    expect(spool.counters.delivered).toBe(130);
    await buffer.close();
  });

  it('keeps what was spooled across a restart of the process and sends it once AWS is back', async () => {
    const dir = freshDir();
    await emulator.stop();
    const first = await createDiskBuffer({ dir });
    const offline = transportTo(emulator);
    const input = new Subject<Message>();
    const subscription = input.pipe(spoolToAws(offline, first)).subscribe();
    for (let i = 0; i < 25; i++) input.next(reading(1000 + i));
    await until(() => first.stats().messages === 25);
    subscription.unsubscribe();
    await offline.close();
    await first.close();

    await emulator.start();
    const arrivals = recordArrivals(emulator);
    const again = await createDiskBuffer({ dir });
    expect(again.stats().messages).toBe(25);
    const confirmed: Message[] = [];
    const resumed = NEVER.pipe(spoolToAws(transportTo(emulator), again)).subscribe((m) => confirmed.push(m));
    await until(() => confirmed.length === 25);
    resumed.unsubscribe();
    arrivals.stop();
    expect(arrivals.byTopic.get('spool/line1')!.map((p) => JSON.parse(p).i)).toEqual(Array.from({ length: 25 }, (_, i) => 1000 + i));
    await again.close();
  });

  it('keeps messages AWS would refuse out of the store and hands them to the dead-letter sink', async () => {
    const buffer = await createDiskBuffer({ dir: freshDir() });
    const letters: string[] = [];
    const transport = transportTo(emulator, { deadLetter: (l) => letters.push(l.code) });
    const input = new Subject<Message>();
    const confirmed: Message[] = [];
    const subscription = input.pipe(spoolToAws(transport, buffer)).subscribe((m) => confirmed.push(m));
    input.next({ topic: 'a/b/c/d/e/f/g/h/i', payload: 1, timestamp: Date.now() });
    input.next(reading(1));
    await until(() => confirmed.length === 1);
    expect(letters).toEqual(['AWS_TOPIC_TOO_DEEP']);
    expect(buffer.stats().lastSeq).toBe(1);
    subscription.unsubscribe();
    await buffer.close();
  });
});

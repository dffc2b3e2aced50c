import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiskBuffer } from '@iiot/buffer';
import type { Message } from '@iiot/core';
import { Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spoolToAws } from '../src/index.js';
import type { AwsIotEmulator } from '../src/emulator/index.js';
import { startStandIn, until } from './fixtures/stand-in.js';
import { closeAll, recordArrivals, transportTo } from './fixtures/transport.js';

describe('a 60-second outage of the AWS IoT stand-in', () => {
  let emulator: AwsIotEmulator;
  const dir = mkdtempSync(join(tmpdir(), 'iiot-aws-outage-'));
  beforeAll(async () => {
    emulator = await startStandIn();
  });
  afterAll(async () => {
    await closeAll();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing, published directly or through a durable spool, and keeps the order per topic', async () => {
    const direct = transportTo(emulator, { reconnectPeriodMs: 1000 });
    const spooled = transportTo(emulator, { reconnectPeriodMs: 1000 });
    const buffer = await createDiskBuffer({ dir });
    const input = new Subject<Message>();
    let confirmed = 0;
    const subscription = input.pipe(spoolToAws(spooled, buffer)).subscribe(() => confirmed++);
    await Promise.all([direct.ready(), spooled.ready()]);
    const arrivals = recordArrivals(emulator);
    const sent: Promise<void>[] = [];
    let n = 0;
    const tick = setInterval(() => {
      sent.push(direct.publish({ topic: `direct/${n % 4}`, payload: { n }, timestamp: Date.now() }));
      input.next({ topic: `spooled/${n % 4}`, payload: { n }, qos: 1, timestamp: Date.now() });
      n++;
    }, 50);
    try {
      await until(() => n >= 100, 30_000);
      await emulator.stop();
      const downAt = Date.now();
      await until(() => Date.now() - downAt >= 60_000, 70_000);
      await emulator.start();
      await until(() => n >= 100 + 1200 + 100, 70_000);
    } finally {
      clearInterval(tick);
    }
    await Promise.all(sent);
    await until(() => confirmed === n, 60_000);
    subscription.unsubscribe();
    await buffer.close();
    arrivals.stop();
    for (const flow of ['direct', 'spooled']) {
      let total = 0;
      for (let topic = 0; topic < 4; topic++) {
        const seqs = arrivals.byTopic.get(`${flow}/${topic}`)!.map((p) => JSON.parse(p).n as number);
        const firsts = seqs.filter((s, at) => seqs.indexOf(s) === at);
        expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
        total += firsts.length;
      }
      expect(total, flow).toBe(n);
    }
    expect(emulator.stats().dropped).toBe(0);
  });
});

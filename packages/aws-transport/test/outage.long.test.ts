import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsIotEmulator } from '../src/emulator/index.js';
import { startStandIn, until } from './fixtures/stand-in.js';
import { closeAll, recordArrivals, transportTo } from './fixtures/transport.js';

describe('a 60-second outage of the AWS IoT stand-in', () => {
  let emulator: AwsIotEmulator;
  beforeAll(async () => {
    emulator = await startStandIn();
  });
  afterAll(async () => {
    await closeAll();
    await emulator.close();
  });

  it('loses nothing: every reading published before, during and after it arrives, in order per topic', async () => {
    const transport = transportTo(emulator, { reconnectPeriodMs: 1000 });
    await transport.ready();
    const arrivals = recordArrivals(emulator);
    const sent: Promise<void>[] = [];
    let n = 0;
    const tick = setInterval(() => {
      sent.push(transport.publish({ topic: `outage/${n % 4}`, payload: { n }, timestamp: Date.now() }));
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
    arrivals.stop();
    let total = 0;
    for (let topic = 0; topic < 4; topic++) {
      const seqs = arrivals.byTopic.get(`outage/${topic}`)!.map((p) => JSON.parse(p).n as number);
      const unique = [...new Set(seqs)];
      expect(unique).toEqual([...unique].sort((a, b) => a - b));
      total += unique.length;
    }
    expect(total).toBe(n);
    expect(emulator.stats().dropped).toBe(0);
  });
});

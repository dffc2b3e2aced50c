// pnpm bench aws-transport: readings per second delivered to the local AWS IoT stand-in (which enforces 100
// publishes/s per connection and drops the excess) through @iiot/aws-transport at AWS's default limits, against
// raw MQTT.js publishing to the same stand-in without throttling, measured in the same run.
import { performance } from 'node:perf_hooks';
import { type AwsIotTransportOptions, createAwsIotTransport } from '@iiot/aws-transport';
import { createTestPki, startAwsIotEmulator } from '@iiot/aws-transport/emulator';
import mqtt from 'mqtt';
import { median, printTable, quantile } from './lib/harness.js';

const RUNS = 3;
const WINDOW_MS = 4000;
const WARMUP_MS = 1000;
const TOPICS = Array.from({ length: 40 }, (_, i) => `plant/line${i % 8}/sensor${i}`);

const pki = createTestPki();
const emulator = await startAwsIotEmulator({ ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, alpnPort: false });
const tls = { host: '127.0.0.1', port: emulator.port, ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key };
const reading = (i: number) => ({ id: i, v: Math.round(Math.sin(i) * 1000) / 10, ts: 1_764_000_000_000 + i });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Raw MQTT.js, QoS 1, as fast as it goes: what the stand-in accepted per second and what it dropped. */
async function rawRun(run: number) {
  const client = await mqtt.connectAsync({ protocol: 'mqtts', ...tls, clientId: `raw-${run}`, reconnectPeriod: 0 });
  const before = emulator.stats();
  let i = 0;
  let stop = false;
  const pump = async () => {
    while (!stop) {
      const batch = [];
      for (let k = 0; k < 200; k++, i++) batch.push(client.publishAsync(TOPICS[i % TOPICS.length]!, JSON.stringify(reading(i)), { qos: 1 }));
      await Promise.all(batch);
    }
  };
  const started = performance.now();
  const done = pump();
  await sleep(WINDOW_MS);
  stop = true;
  await done;
  const seconds = (performance.now() - started) / 1000;
  const after = emulator.stats();
  await client.endAsync();
  return { delivered: (after.accepted - before.accepted) / seconds, dropped: after.dropped - before.dropped, offered: i / seconds };
}

/** The transport kept saturated; delivered = readings AWS acknowledged per second in the measuring window. */
async function transportRun(run: number, extra: Partial<AwsIotTransportOptions>, offeredPerSecond?: number) {
  const transport = createAwsIotTransport({ ...tls, clientId: `bench-${run}-${Math.random().toString(36).slice(2, 6)}`, ...extra });
  await transport.ready();
  const droppedBefore = emulator.stats().dropped;
  const latencies: number[] = [];
  // Enough queued to keep every connection busy, little enough that closing does not wait long.
  const cap = extra.batching ? 40_000 : 500;
  let outstanding = 0;
  let i = 0;
  let stop = false;
  const offer = () => {
    const at = performance.now();
    outstanding++;
    transport.publish({ topic: TOPICS[i % TOPICS.length]!, payload: reading(i), timestamp: Date.now() }).then(
      () => {
        outstanding--;
        latencies.push(performance.now() - at);
      },
      () => outstanding--,
    );
    i++;
  };
  const pump = async () => {
    const begin = performance.now();
    while (!stop) {
      // Open loop at a fixed rate when given (for latency), else as much as the queue cap allows.
      const due = offeredPerSecond ? Math.floor(((performance.now() - begin) / 1000) * offeredPerSecond) - i : cap - outstanding;
      for (let k = 0; k < Math.min(due, cap - outstanding); k++) offer();
      await sleep(5);
    }
  };
  const done = pump();
  await sleep(WARMUP_MS);
  const d0 = transport.status().delivered;
  const t0 = performance.now();
  latencies.length = 0;
  await sleep(WINDOW_MS);
  const delivered = (transport.status().delivered - d0) / ((performance.now() - t0) / 1000);
  stop = true;
  await done;
  const result = {
    delivered,
    dropped: emulator.stats().dropped - droppedBefore,
    p99: quantile(latencies, 0.99),
  };
  await transport.close();
  return result;
}

async function measure<T extends { delivered: number; dropped: number }>(run: (r: number) => Promise<T>) {
  const results: T[] = [];
  for (let r = 0; r < RUNS; r++) {
    results.push(await run(r));
    console.error(`  run ${r + 1}: ${Math.round(results[r]!.delivered)} readings/s`);
  }
  return {
    delivered: median(results.map((x) => x.delivered)),
    dropped: results.reduce((s, x) => s + x.dropped, 0),
    results,
  };
}

const raw = await measure(rawRun);
const batching = { maxLatencyMs: 250 };
const scenarios: [string, Partial<AwsIotTransportOptions>, number | undefined][] = [
  ['transport, 1 connection', {}, undefined],
  ['transport, pool of 4', { connections: 4 }, undefined],
  ['transport, batching, 1 connection', { batching }, undefined],
  ['transport, batching, pool of 4', { connections: 4, batching }, undefined],
  ['transport, batching, pool of 4, offered 10,000/s', { connections: 4, batching }, 10_000],
];
const rows: (string | number)[][] = [
  ['raw MQTT.js, no throttle (baseline)', raw.delivered, 1, String(raw.dropped), '–'],
];
for (const [name, options, rate] of scenarios) {
  console.error(name);
  const m = await measure((r) => transportRun(r, options, rate));
  rows.push([name, m.delivered, m.delivered / raw.delivered, String(m.dropped), median(m.results.map((x) => x.p99))]);
}
printTable(
  `aws-transport — readings/s delivered to the AWS IoT stand-in (100 publishes/s per connection), median of ${RUNS} runs of ${WINDOW_MS / 1000} s`,
  ['scenario', 'readings/s delivered', '× raw MQTT.js', 'dropped by stand-in (all runs)', 'p99 offer→ack ms'],
  rows,
);
console.log(`\nraw MQTT.js offered ${Math.round(median(raw.results.map((x) => x.offered)))} readings/s; the stand-in dropped ${raw.dropped} of them over ${RUNS} runs.`);
await emulator.close();
process.exit(0);

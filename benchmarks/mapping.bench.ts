// pnpm bench mapping: the seed's flattening chain through createMappingPipeline against a bare loop of
// expression.evaluate on the same messages; a pass-through pipeline against a plain RxJS map; and an overload
// run at twice the measured capacity for 30 s, showing a bounded queue, bounded memory and counted shedding.
import { performance } from 'node:perf_hooks';
import jsonata from 'jsonata';
import jsonata1 from 'jsonata1';
import { Subject, from, lastValueFrom, map } from 'rxjs';
import type { Message } from '@iiot/core';
import { type ExpressionEngine, type MappingEntry, createJsonataEngine, createMappingPipeline, variablesOf } from '@iiot/mapping';
import { median, printTable, rssMiB } from './lib/harness.js';

const FIRST = '{ "deviceId": "TestDeviceEdge", "payload": $ }';
const SECOND = `{
  "deviceId": "TestDeviceEdge",
  "timestamp": $now(),
  "temperature": $.payload.DeviceData.Temperature,
  "position_x": $.payload.DeviceData.Position.X,
  "position_y": $.payload.DeviceData.Position.Y,
  "position_z": $.payload.DeviceData.Position.Z
}`;
const SEED: MappingEntry = {
  subscribe: { topic: 'services/bench/test/#topic' },
  publish: { topic: 'TestDeviceEdge/$topic' },
  rules: [{ transform: { expression: FIRST } }, { transform: { expression: SECOND } }],
};
const N = 2_000;
const ROUNDS = 15;
const OVERLOAD_SECONDS = Number(process.env.OVERLOAD_SECONDS ?? 30);

function message(i: number): Message {
  const body = { DeviceData: { Temperature: 20 + (i % 10), Position: { X: i, Y: i + 1, Z: i + 2 } } };
  return { topic: `services/bench/test/line${i % 4}/robot`, payload: Buffer.from(JSON.stringify(body)), timestamp: i };
}
const messages = Array.from({ length: N }, (_, i) => message(i));

interface Pass {
  /** CPU time of this process per message, ns: what the code costs, even on a shared, loaded machine. */
  cpu: number;
  /** Wall-clock time per message, ns. */
  wall: number;
}

function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/** Time per message of one pass of `run` over `count` messages. */
async function pass(run: () => Promise<unknown>, count = N): Promise<Pass> {
  const cpu = cpuNow();
  const wall = performance.now();
  await run();
  return { cpu: (cpuNow() - cpu) / count, wall: ((performance.now() - wall) * 1e6) / count };
}

/**
 * Alternates baseline and subject passes (two warm-up rounds, then ROUNDS measured), so that load from other
 * processes on a shared machine hits both alike. Returns medians and the median of per-round CPU-time ratios.
 */
async function compare(baseline: () => Promise<unknown>, subject: () => Promise<unknown>, count = N) {
  const base: Pass[] = [];
  const subj: Pass[] = [];
  for (let r = 0; r < ROUNDS + 2; r++) {
    const b = await pass(baseline, count);
    const s = await pass(subject, count);
    if (r < 2) continue;
    base.push(b);
    subj.push(s);
  }
  return {
    baseline: median(base.map((p) => p.cpu)),
    subject: median(subj.map((p) => p.cpu)),
    subjectWall: median(subj.map((p) => p.wall)),
    ratio: median(subj.map((p, i) => p.cpu / base[i]!.cpu)),
  };
}

// A stand-in for a compiled engine: synchronous, and like the default engine it binds only what is used.
const syncEngine: ExpressionEngine = {
  compile(expression) {
    const compiled = jsonata1(expression);
    const names = variablesOf(compiled.ast());
    return {
      evaluate(input, bindings) {
        let used: Record<string, unknown> | undefined;
        for (const name in bindings) if (names.has(name) || names.has('eval')) (used ??= {})[name] = bindings[name];
        return compiled.evaluate(input, used);
      },
    };
  },
};

async function seedChain() {
  const first = jsonata(FIRST);
  const second = jsonata(SECOND);
  const bare = () =>
    (async () => {
      for (const m of messages) {
        const value = JSON.parse((m.payload as Buffer).toString('utf8'));
        await second.evaluate(await first.evaluate(value));
      }
    })();
  const pipeline = createMappingPipeline(SEED, { id: 'seed', maxQueued: N, engine: createJsonataEngine({ interpreter: true }) });
  const piped = () => lastValueFrom(from(messages).pipe(pipeline));

  const first1 = jsonata1(FIRST);
  const second1 = jsonata1(SECOND);
  const bareSync = async () => {
    for (const m of messages) second1.evaluate(first1.evaluate(JSON.parse((m.payload as Buffer).toString('utf8'))));
  };
  const syncPipeline = createMappingPipeline(SEED, { id: 'seed-sync', engine: syncEngine, maxQueued: N });
  const pipedSync = () => lastValueFrom(from(messages).pipe(syncPipeline));

  const rows = [
    ['jsonata 2.2.2 (async, the interpreter engine)', await compare(bare, piped)],
    ['jsonata 1.8.7 (synchronous, standing in for a compiled engine)', await compare(bareSync, pipedSync)],
  ] as const;
  printTable(
    `Seed chain (two transforms, JSON bytes in): messages per CPU-second, ${N} messages per pass, ${ROUNDS} alternating rounds, medians`,
    ['engine', 'bare evaluate loop', 'pipeline', 'pipeline overhead (median of per-round ratios)', 'pipeline, wall clock msg/s'],
    rows.map(([label, r]) => [label, 1e9 / r.baseline, 1e9 / r.subject, `${((r.ratio - 1) * 100).toFixed(1)} %`, 1e9 / r.subjectWall]),
  );
  if (pipeline.metrics().shed + syncPipeline.metrics().shed > 0) throw new Error('benchmark pipelines shed messages');
}

async function passThrough() {
  const pipeline = createMappingPipeline({ subscribe: { topic: 'services/bench/test/#topic' }, publish: { topic: 'out/$topic' } }, { id: 'pass' });
  const plain = map((m: Message) => ({ ...m, topic: `out/${m.topic.slice('services/bench/test/'.length)}` }));
  const big = Array.from({ length: 20 }, () => messages).flat();
  const r = await compare(
    () => lastValueFrom(from(big).pipe(plain)),
    () => lastValueFrom(from(big).pipe(pipeline)),
    big.length,
  );
  printTable(
    `Pass-through (no rules: route, render the publish topic, count): per CPU-second, ${big.length} messages per pass, ${ROUNDS} rounds`,
    ['operator', 'msg/s', 'ns/msg', 'vs plain map'],
    [
      ['RxJS map renaming the topic (baseline)', 1e9 / r.baseline, r.baseline, '1.00×'],
      ['createMappingPipeline, no rules', 1e9 / r.subject, r.subject, `${r.ratio.toFixed(2)}×`],
    ],
  );
}

/** Offers `rate` msg/s, following the wall clock, to a fresh seed pipeline for `seconds`. */
async function offer(rate: number, seconds: number) {
  const pipeline = createMappingPipeline(SEED, { id: 'overload' });
  const source = new Subject<Message>();
  let out = 0;
  source.pipe(pipeline).subscribe(() => out++);
  let offered = 0;
  let maxQueued = 0;
  const rss: number[] = [];
  const heap: number[] = [];
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = (performance.now() - start) / 1000;
      // Offered load follows the wall clock, whatever the pipeline manages: an independent producer.
      const due = Math.floor(Math.min(elapsed, seconds) * rate);
      while (offered < due) source.next(message(offered++));
      maxQueued = Math.max(maxQueued, pipeline.metrics().queued);
      if (elapsed >= seconds) {
        clearInterval(tick);
        clearInterval(sample);
        resolve();
      }
    }, 5);
    const sample = setInterval(() => {
      rss.push(rssMiB());
      heap.push(process.memoryUsage().heapUsed / 2 ** 20);
    }, 1000);
  });
  source.complete();
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { metrics: pipeline.metrics(), offered, out, maxQueued, rss, heap };
}

async function overload() {
  // Capacity: what the pipeline releases per second while saturated, measured right before, in the same way.
  const calibration = await offer(30_000, 3);
  const capacity = calibration.metrics.out / 3;
  const offeredRate = 2 * capacity;
  const { metrics: m, offered, out, maxQueued, rss, heap } = await offer(offeredRate, OVERLOAD_SECONDS);
  const accounted = m.out + m.shed + m.errored + m.filtered + m.queued;
  const range = (values: number[]) =>
    `${values[0]!.toFixed(0)} / ${Math.max(...values).toFixed(0)} / ${values[values.length - 1]!.toFixed(0)}`;
  printTable(
    `Overload: offered ${Math.round(offeredRate).toLocaleString('en-US')} msg/s (2 × the ${Math.round(capacity).toLocaleString('en-US')} msg/s released while saturated) for ${OVERLOAD_SECONDS} s, default maxQueued 1000`,
    ['offered', 'in', 'out', 'shed', 'errored', 'accounted (out+shed+errored+filtered+queued)', 'max queued', 'RSS MiB first/max/last s', 'heap MiB first/max/last s'],
    [[offered, m.in, m.out, m.shed, m.errored, accounted, maxQueued, range(rss), range(heap)]],
  );
  console.log(`\nout ${(m.out / OVERLOAD_SECONDS).toFixed(0)} msg/s over the run; every offered message is out or counted as shed: ${offered === m.in && m.in === accounted}`);
  if (offered === 0 || offered !== m.in || m.in !== accounted || out !== m.out) throw new Error('overload: messages unaccounted for');
}

await seedChain();
await passThrough();
await overload();

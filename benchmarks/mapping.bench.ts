// pnpm bench mapping: the seed's flattening chain through createMappingPipeline against a bare loop of
// expression.evaluate on the same messages, for the default (compiled) engine and the jsonata-js interpreter;
// a pass-through pipeline against a plain RxJS map; and, for both engines, an overload run at twice the
// measured capacity for 30 s, showing a bounded queue, bounded memory and every message accounted for.
import { performance } from 'node:perf_hooks';
import jsonata from 'jsonata';
import { Subject, from, lastValueFrom, map } from 'rxjs';
import type { Message } from '@iiot/core';
import { compile } from '@iiot/jsonata-compiler';
import { type ExpressionEngine, createJsonataEngine, createMappingPipeline } from '@iiot/mapping';
import { median, printTable, rssMiB } from './lib/harness.js';
import { SEED_CHAIN, SEED_ENVELOPE, SEED_FLATTEN } from './lib/seed-chain.js';

const N = 2_000;
const ROUNDS = 15;
const OVERLOAD_SECONDS = Number(process.env.OVERLOAD_SECONDS ?? 30);
/** The longest a producer runs before it lets timers (the memory sampler) run, ms. */
const SLICE_MS = 50;

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

async function seedChain() {
  const first = compile(SEED_ENVELOPE);
  const second = compile(SEED_FLATTEN);
  if (first.path !== 'compiled' || second.path !== 'compiled') throw new Error('the seed chain no longer compiles');
  const bareCompiled = async () => {
    for (const m of messages) second.evaluate(first.evaluate(JSON.parse((m.payload as Buffer).toString('utf8'))));
  };
  const compiledPipeline = createMappingPipeline(SEED_CHAIN, { id: 'seed-compiled', engine: createJsonataEngine(), maxQueued: N });
  const pipedCompiled = () => lastValueFrom(from(messages).pipe(compiledPipeline));

  const first2 = jsonata(SEED_ENVELOPE);
  const second2 = jsonata(SEED_FLATTEN);
  const bareInterpreter = async () => {
    for (const m of messages) await second2.evaluate(await first2.evaluate(JSON.parse((m.payload as Buffer).toString('utf8'))));
  };
  const interpreterPipeline = createMappingPipeline(SEED_CHAIN, { id: 'seed-interpreter', engine: createJsonataEngine({ interpreter: true }), maxQueued: N });
  const pipedInterpreter = () => lastValueFrom(from(messages).pipe(interpreterPipeline));

  const rows = [
    ['compiled: createJsonataEngine() (the default; bare loop: compile() of @iiot/jsonata-compiler)', await compare(bareCompiled, pipedCompiled)],
    ['jsonata-js 2.2.2 interpreter: createJsonataEngine({ interpreter: true }) (bare loop: jsonata().evaluate)', await compare(bareInterpreter, pipedInterpreter)],
  ] as const;
  printTable(
    `Seed chain (two transforms, JSON bytes in): messages per CPU-second, ${N} messages per pass, ${ROUNDS} alternating rounds, medians`,
    ['engine (pipeline and its bare loop)', 'bare evaluate loop', 'pipeline', 'pipeline overhead (median of per-round ratios)', 'pipeline, wall clock msg/s'],
    rows.map(([label, r]) => [label, 1e9 / r.baseline, 1e9 / r.subject, `${((r.ratio - 1) * 100).toFixed(1)} %`, 1e9 / r.subjectWall]),
  );
  if (compiledPipeline.metrics().shed + interpreterPipeline.metrics().shed > 0) throw new Error('benchmark pipelines shed messages');
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
      ['createMappingPipeline, no rules (no expression, so no engine is involved)', 1e9 / r.subject, r.subject, `${r.ratio.toFixed(2)}×`],
    ],
  );
}

/**
 * Capacity: what the saturated pipeline releases per wall-clock second. The producer is a closed loop: it
 * hands over the next batch of 64 as soon as the pipeline has taken the last one, so nothing is shed and the
 * pipeline never waits (a synchronous engine processes each batch inside `next()`, the interpreter in the
 * microtasks before the next turn of the event loop).
 */
async function capacityOf(engine: ExpressionEngine, seconds: number): Promise<number> {
  const pipeline = createMappingPipeline(SEED_CHAIN, { id: 'calibration', engine });
  const source = new Subject<Message>();
  let out = 0;
  source.pipe(pipeline).subscribe(() => out++);
  const start = performance.now();
  let i = 0;
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    const sliceEnd = Math.min(performance.now() + SLICE_MS, end);
    do {
      for (let k = 0; k < 64; k++) source.next(message(i++));
    } while (pipeline.metrics().queued === 0 && performance.now() < sliceEnd);
    await new Promise(setImmediate);
  }
  const capacity = out / ((performance.now() - start) / 1000);
  source.complete();
  return capacity;
}

/**
 * Offers `rate` msg/s to a fresh seed pipeline for `seconds`, following the wall clock whatever the pipeline
 * manages (an independent producer), in slices of at most SLICE_MS so the memory sampler runs. A synchronous
 * pipeline runs each message inside `next()`, so the producer can hand over only what it takes: the rest of
 * what is due is held back at the producer, as a saturated gateway leaves data in its sockets.
 */
async function offer(engine: ExpressionEngine, rate: number, seconds: number) {
  const pipeline = createMappingPipeline(SEED_CHAIN, { id: 'overload', engine });
  const source = new Subject<Message>();
  let out = 0;
  source.pipe(pipeline).subscribe(() => out++);
  let offered = 0;
  let maxQueued = 0;
  const rss: number[] = [];
  const heap: number[] = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      const due = Math.floor(((Math.min(now, deadline) - start) / 1000) * rate);
      const sliceEnd = Math.min(now + SLICE_MS, deadline);
      while (offered < due) {
        source.next(message(offered++));
        if ((offered & 63) === 0 && performance.now() >= sliceEnd) break;
      }
      maxQueued = Math.max(maxQueued, pipeline.metrics().queued);
      if (performance.now() >= deadline) {
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
  return { metrics: pipeline.metrics(), due: Math.floor(rate * seconds), offered, out, maxQueued, rss, heap };
}

async function overload() {
  const engines = [
    ['compiled (the default)', createJsonataEngine()],
    ['jsonata-js 2.2.2 interpreter', createJsonataEngine({ interpreter: true })],
  ] as const;
  const range = (values: number[]) =>
    `${values[0]!.toFixed(0)} / ${Math.max(...values).toFixed(0)} / ${values[values.length - 1]!.toFixed(0)}`;
  const rows: unknown[][] = [];
  const balanced: boolean[] = [];
  for (const [label, engine] of engines) {
    const capacity = await capacityOf(engine, 3);
    const rate = 2 * capacity;
    const { metrics: m, due, offered, out, maxQueued, rss, heap } = await offer(engine, rate, OVERLOAD_SECONDS);
    const accounted = m.out + m.shed + m.errored + m.filtered + m.queued;
    balanced.push(offered > 0 && offered === m.in && m.in === accounted && out === m.out);
    rows.push([label, capacity, rate, due, offered, due - offered, m.out, m.shed, m.errored, accounted, maxQueued, range(rss), range(heap), m.out / OVERLOAD_SECONDS]);
  }
  printTable(
    `Overload: 2 × the capacity (msg/s released while saturated, measured right before) for ${OVERLOAD_SECONDS} s, default maxQueued 1000`,
    ['engine', 'capacity msg/s', 'offered msg/s', 'due by the clock', 'handed over (= in)', 'held back at the producer', 'out', 'shed', 'errored', 'accounted (out+shed+errored+filtered+queued)', 'max queued', 'RSS MiB first/max/last s', 'heap MiB first/max/last s', 'out msg/s'],
    rows,
  );
  const all = balanced.every(Boolean);
  console.log(`\nevery message handed over is out or counted as shed: ${all}`);
  if (!all) throw new Error('overload: messages unaccounted for');
}

await seedChain();
await passThrough();
await overload();

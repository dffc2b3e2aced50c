// Compiled JSONata vs the jsonata-js interpreter, evaluated on the same expressions and inputs in one run.
import type { Message } from '@iiot/core';
import { compile } from '@iiot/jsonata-compiler';
import { createJsonataEngine, createMappingPipeline } from '@iiot/mapping';
import jsonata from 'jsonata';
import { from, lastValueFrom } from 'rxjs';
import { keep, median, nsPerOp, nsPerOpAsync, printTable } from './lib/harness.js';
import { SEED_CHAIN, SEED_FLATTEN } from './lib/seed-chain.js';

const device = { DeviceData: { Temperature: 21.5, Position: { X: 1, Y: 2, Z: 3 } } };
const line = {
  line: 'press-4',
  ts: 1764151200000,
  readings: Array.from({ length: 12 }, (_, i) => ({ sensor: `s${i}`, value: 15 + ((i * 7) % 13) + i / 10 })),
};

const cases = [
  { name: "seed envelope ({deviceId, payload: $})", expr: '{\n  "deviceId": "TestDevice",\n  "payload": $\n}', input: device },
  {
    name: 'seed flatten with $now()',
    expr: SEED_FLATTEN,
    input: { deviceId: 'TestDeviceEdge', payload: device },
  },
  { name: 'predicate filter', expr: 'readings[value > 20].sensor', input: line },
  {
    name: 'reshape $round/$count/$uppercase',
    expr: '{ "line": $uppercase(line), "n": $count(readings), "mean": $round($average(readings.value), 2) }',
    input: line,
  },
  { name: '$fromMillis', expr: '$fromMillis(ts)', input: line },
];

// The interpreter leaves much garbage behind; collect it so that the other side is not charged for it.
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

// The machine is shared: the two sides are measured alternately, round by round, and every figure is the
// median over the rounds (the speed-up is the median of the per-round ratios).
const ROUNDS = 7;
const rows: (string | number)[][] = [];
for (const c of cases) {
  const compiled = compile(c.expr);
  if (compiled.path !== 'compiled') throw new Error(`${c.name} did not compile: ${compiled.reason}`);
  const reference = jsonata(c.expr);
  const interpreter: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const warmup = round === 0 ? 2 : 0;
    collectGarbage();
    interpreter.push(await nsPerOpAsync(() => reference.evaluate(c.input), { iterations: 3_000, runs: 1, warmup }));
    collectGarbage();
    ours.push(nsPerOp(() => compiled.evaluate(c.input), { iterations: 100_000, runs: 1, warmup }));
  }
  keep(compiled.evaluate(c.input));
  const ratios = interpreter.map((ns, i) => ns / ours[i]!);
  rows.push([c.name, median(interpreter) / 1000, median(ours) / 1000, median(ratios)]);
}

printTable(
  `µs per evaluation, medians of ${ROUNDS} alternating rounds`,
  ['expression', 'jsonata-js evaluate', 'compiled', 'speed-up ×'],
  rows,
);

// End to end: the seed's two-transform chain through @iiot/mapping, JSON bytes in, with the default (compiled)
// engine and with the interpreter forced. Per CPU-second of this process, alternating rounds, medians.
const N = 2_000;
const messages: Message[] = Array.from({ length: N }, (_, i) => ({
  topic: `services/bench/test/line${i % 4}/robot`,
  payload: Buffer.from(JSON.stringify({ DeviceData: { Temperature: 20 + (i % 10), Position: { X: i, Y: i + 1, Z: i + 2 } } })),
  timestamp: i,
}));

async function cpuPerMessage(pipeline: ReturnType<typeof createMappingPipeline>): Promise<number> {
  const start = process.cpuUsage();
  await lastValueFrom(from(messages).pipe(pipeline));
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / N;
}

const compiledPipeline = createMappingPipeline(SEED_CHAIN, { id: 'compiled', maxQueued: N });
const interpreterPipeline = createMappingPipeline(SEED_CHAIN, {
  id: 'interpreter',
  maxQueued: N,
  engine: createJsonataEngine({ interpreter: true }),
});
const perRound: { compiled: number; interpreter: number }[] = [];
for (let round = 0; round < ROUNDS + 2; round++) {
  collectGarbage();
  const interpreter = await cpuPerMessage(interpreterPipeline);
  collectGarbage();
  const ours = await cpuPerMessage(compiledPipeline);
  if (round >= 2) perRound.push({ compiled: ours, interpreter });
}
if (compiledPipeline.metrics().shed + interpreterPipeline.metrics().shed > 0) throw new Error('pipelines shed messages');
printTable(
  `Mapping pipeline, seed chain (two transforms, JSON bytes in): messages per CPU-second, ${N} per pass, ${ROUNDS} alternating rounds, medians`,
  ['engine', 'msg per CPU-second', 'speed-up ×'],
  [
    ['createJsonataEngine({ interpreter: true })', 1e9 / median(perRound.map((r) => r.interpreter)), 1],
    ['createJsonataEngine() (compiled, the default)', 1e9 / median(perRound.map((r) => r.compiled)), median(perRound.map((r) => r.interpreter / r.compiled))],
  ],
);

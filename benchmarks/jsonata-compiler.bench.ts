// Compiled JSONata vs the jsonata-js interpreter, evaluated on the same expressions and inputs in one run.
import { compile } from '@iiot/jsonata-compiler';
import jsonata from 'jsonata';
import { keep, median, nsPerOp, nsPerOpAsync, printTable } from './lib/harness.js';

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
    expr: `{
      "deviceId": "TestDeviceEdge",
      "timestamp": $now(),
      "temperature": $.payload.DeviceData.Temperature,
      "position_x": $.payload.DeviceData.Position.X,
      "position_y": $.payload.DeviceData.Position.Y,
      "position_z": $.payload.DeviceData.Position.Z
    }`,
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

// Topic routing: one topic against N filters. Baselines in the same run: a naive linear scan over compiled
// filters, and qlobber (the matcher the aedes broker uses), which returns values but no named captures.
import { parseTopicFilter, TopicIndex } from '@iiot/core';
// @ts-expect-error qlobber ships no type declarations
import qlobber from 'qlobber';
import { keep, median, nsPerOpInterleaved, printTable } from './lib/harness.js';

const { Qlobber } = qlobber as { Qlobber: new (o: object) => { add(t: string, v: unknown): void; match(t: string): unknown[] } };

// mulberry32: deterministic, and without the short low-bit cycles of a plain LCG.
let seed = 42;
const random = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) % n);
};

const LINES = 100;
const SIGNALS = 50;
const machinesPerLine = (count: number) => Math.max(5, Math.round(count / 400));

/** A plant-shaped set of distinct filters: exact data points, per-machine wildcards, a few cross-line ones. */
function filtersFor(count: number): string[] {
  const machines = machinesPerLine(count);
  const out = new Set<string>();
  while (out.size < count) {
    const line = random(LINES);
    const machine = random(machines);
    const roll = random(100);
    if (roll < 70) out.add(`plant/line${line}/machine${machine}/signal${random(SIGNALS)}`);
    else if (roll < 90) out.add(`plant/line${line}/machine${machine}/+signal`);
    else if (roll < 95) out.add(`plant/+line/machine${machine}/signal${random(SIGNALS)}`);
    else out.add(`plant/line${line}/machine${machine}/#rest`);
  }
  return [...out];
}

const RUNS = 15;
const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Wall and CPU nanoseconds per operation of each contender, medians over `runs` rounds after two warm-up
 * rounds. The contenders alternate and swap order every round, so load changes and cache state favour none;
 * a full collection (when `--expose-gc` allows it, as `pnpm bench` does) before each timed block keeps one
 * contender's garbage from being collected on another's time. CPU time leaves out the time this process
 * waited for a core, which on a shared machine is most of the wall-time noise.
 */
function timeAlternating<K extends string>(contenders: Record<K, (i: number) => unknown>, iterations: number, runs: number) {
  const names = Object.keys(contenders) as K[];
  const wall = new Map<K, number[]>(names.map((n) => [n, []]));
  const cpu = new Map<K, number[]>(names.map((n) => [n, []]));
  let sink: unknown;
  for (let r = 0; r < runs + 2; r++) {
    for (const name of r % 2 ? [...names].reverse() : names) {
      const op = contenders[name];
      gc?.();
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < iterations; i++) sink = op(i);
      const elapsed = performance.now() - start;
      const used = process.cpuUsage(cpuStart);
      if (r < 2) continue;
      wall.get(name)!.push((elapsed * 1e6) / iterations);
      cpu.get(name)!.push(((used.user + used.system) * 1e3) / iterations);
    }
  }
  keep(sink);
  const result = {} as Record<K, { wall: number; cpu: number }>;
  for (const n of names) result[n] = { wall: median(wall.get(n)!), cpu: median(cpu.get(n)!) };
  return result;
}

const rows: unknown[][] = [];
for (const count of [1_000, 10_000, 100_000]) {
  const filters = filtersFor(count);
  const machines = machinesPerLine(count);
  const topics = Array.from(
    { length: 1_000 },
    () => `plant/line${random(LINES)}/machine${random(machines)}/signal${random(SIGNALS)}`,
  );

  const index = new TopicIndex<number>();
  for (const [i, f] of filters.entries()) index.add(f, i);
  const parsed = filters.map(parseTopicFilter);
  const q = new Qlobber({ separator: '/', wildcard_one: '+', wildcard_some: '#', match_empty_levels: true });
  for (const [i, f] of parsed.entries()) q.add(f.mqttFilter, i);

  // Same answers first, captures included: a benchmark of wrong results is worthless.
  const answer = (matches: { value: number; vars: object | undefined }[]) =>
    matches.map((m) => JSON.stringify([m.value, m.vars])).sort().join();
  for (const t of topics.slice(0, 50)) {
    const expected = answer(parsed.map((f, value) => ({ value, vars: f.match(t) })).filter((m) => m.vars));
    if (answer(index.match(t)) !== expected) throw new Error(`TopicIndex disagrees with the scan on ${t}`);
  }
  for (const t of topics) {
    const values = (matches: number[]) => matches.sort((a, b) => a - b).join();
    if (values(index.match(t).map((m) => m.value)) !== values(q.match(t) as number[])) throw new Error(`qlobber disagrees on ${t}`);
  }

  const pick = (i: number) => topics[i % topics.length]!;
  // The two indexes alternate; the linear scan runs on its own afterwards, since walking 100,000 filter
  // objects would evict the next contender's nodes from the caches and charge it for the scan's misses.
  const { trie, qlob } = timeAlternating({ trie: (i) => index.match(pick(i)), qlob: (i) => q.match(pick(i)) }, 100_000, RUNS);
  const { naive } = nsPerOpInterleaved(
    {
      naive: {
        op: (i) => {
          const t = pick(i);
          let n = 0;
          for (const f of parsed) if (f.match(t)) n++;
          return n;
        },
        iterations: Math.max(10, Math.round(1_000_000 / count)),
      },
    },
    { runs: 5 },
  );
  keep(index);
  rows.push([
    count.toLocaleString('en-US'),
    trie.wall / 1000,
    qlob.wall / 1000,
    naive / 1000,
    naive / trie.wall,
    qlob.wall / trie.wall,
    trie.cpu / 1000,
    qlob.cpu / 1000,
    qlob.cpu / trie.cpu,
  ]);
}

printTable(
  `Topic index: µs per match (median of ${RUNS} alternating rounds of 100,000 matches; TopicIndex matches carry named captures)`,
  ['filters', 'TopicIndex µs', 'qlobber µs', 'linear scan µs', 'scan / index', 'qlobber / index', 'TopicIndex CPU µs', 'qlobber CPU µs', 'qlobber / index (CPU)'],
  rows,
);

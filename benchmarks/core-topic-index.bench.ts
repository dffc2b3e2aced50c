// Topic routing: one topic against N filters. Baselines in the same run: a naive linear scan over compiled
// filters, and qlobber (the matcher the aedes broker uses), which returns values but no named captures.
import { parseTopicFilter, TopicIndex } from '@iiot/core';
// @ts-expect-error qlobber ships no type declarations
import qlobber from 'qlobber';
import { keep, nsPerOpInterleaved, printTable } from './lib/harness.js';

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

  // Same answers first: a benchmark of wrong results is worthless.
  for (const t of topics.slice(0, 50)) {
    const expected = parsed.filter((f) => f.match(t)).length;
    if (index.match(t).length !== expected || q.match(t).length !== expected) throw new Error(`disagreement on ${t}`);
  }

  const pick = (i: number) => topics[i % topics.length]!;
  // The two indexes alternate; the linear scan runs on its own afterwards, since walking 100,000 filter
  // objects would evict the next contender's nodes from the caches and charge it for the scan's misses.
  const { trie, qlob } = nsPerOpInterleaved(
    {
      trie: { op: (i) => index.match(pick(i)), iterations: 200_000 },
      qlob: { op: (i) => q.match(pick(i)), iterations: 200_000 },
    },
    { runs: 9 },
  );
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
  rows.push([count.toLocaleString('en-US'), trie / 1000, qlob / 1000, naive / 1000, naive / trie, qlob / trie]);
}

printTable(
  'Topic index: µs per match (median of 9 alternating runs; matches carry named captures)',
  ['filters', 'TopicIndex µs', 'qlobber µs', 'linear scan µs', 'scan / index', 'qlobber / index'],
  rows,
);

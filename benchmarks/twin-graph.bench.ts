// Twin graph on a generated plant of ~100,000 nodes (1 site, 100 lines, 2,000 machines, ~80,000 properties).
// Baselines in the same run: JSON.parse of the same definition for loading, the naive reference fixpoint for
// impact, and access decisions without memoisation for can(). Times are wall clock and, because this machine
// is shared, also the process's CPU time (process.cpuUsage), which other processes disturb much less.
import { performance } from 'node:perf_hooks';
import { type Caller, createTwinGraph, type ImpactRoot, parseTwinGraphYaml, type Quality, type TwinGraph } from '@iiot/twin-graph';
import { stringify } from 'yaml';
import { generatePlant } from '../packages/twin-graph/test/fixtures/generate-plant.js';
import { flatten, naiveReach, naiveWhatIf } from '../packages/twin-graph/test/fixtures/naive-impact.js';
import { keep, median, printTable, quantile, rssMiB } from './lib/harness.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
interface Timing {
  wall: number;
  cpu: number;
}
const time = (f: () => unknown): Timing => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  keep(f());
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
};
const medianOf = (runs: number, f: () => unknown): Timing => {
  const samples = Array.from({ length: runs }, () => time(f));
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
};
const fmt = (t: Timing) => `${t.wall < 10 ? t.wall.toFixed(3) : t.wall.toFixed(0)} / ${t.cpu < 10 ? t.cpu.toFixed(3) : t.cpu.toFixed(0)}`;
const ratio = (baseline: Timing, t: Timing) => `${(baseline.wall / t.wall).toFixed(0)}× / ${(baseline.cpu / t.cpu).toFixed(0)}×`;

// Memory first, in a clean heap: the definition is dropped once loaded, as the runtime would.
gc();
const rssBefore = rssMiB();
let graph: TwinGraph = createTwinGraph({ definition: generatePlant().definition });
gc();
const rssAfter = rssMiB();
const heapAfter = process.memoryUsage().heapUsed / 2 ** 20;

const plant = generatePlant();
const json = JSON.stringify(plant.definition);
const load = medianOf(5, () => {
  graph.close();
  graph = createTwinGraph({ definition: plant.definition });
});
const parseJson = medianOf(5, () => JSON.parse(json));
const yamlText = stringify(plant.definition);
const parseYaml = medianOf(1, () => parseTwinGraphYaml(yamlText));
printTable(`load and validation (${graph.size.toLocaleString('en-US')} nodes; times wall / CPU ms)`, ['what', 'result', 'baseline', 'ratio'], [
  ['createTwinGraph(definition), median of 5', fmt(load), `JSON.parse of the definition: ${fmt(parseJson)}`, `${(load.cpu / parseJson.cpu).toFixed(2)}× (CPU)`],
  [`parseTwinGraphYaml of its ${(yamlText.length / 2 ** 20).toFixed(0)} MiB YAML, 1 run`, fmt(parseYaml), `JSON.parse: ${fmt(parseJson)}`, `${(parseYaml.cpu / parseJson.cpu).toFixed(0)}× (CPU)`],
  ['RSS after load, definition dropped (MiB)', rssAfter.toFixed(0), `process before loading: ${rssBefore.toFixed(0)}`, `+${(rssAfter - rssBefore).toFixed(0)} MiB`],
  ['heap used after load (MiB)', heapAfter.toFixed(0), '', ''],
]);

// Every source has a value: the state analyses start from.
const now = Date.now();
const flat = flatten(plant.definition);
const sources = [...flat.properties].filter(([, p]) => p.kind === 'source').map(([path]) => path);
graph.ingest(sources.map((path, i) => ({ topic: path, payload: { value: i % 7 === 0 ? 0 : 10 + (i % 13), timestamp: now }, timestamp: now })));
const qualities = new Map([...flat.properties.keys()].map((p) => [p, (graph.read(p) as { quality: Quality }).quality]));

// One process variable: median and p99 over 3,000 different variables.
const single: string[][] = [];
for (const mode of ['reachability', 'what-if'] as const) {
  const samples = Array.from({ length: 3000 }, (_, i) => time(() => graph.impact([sources[(i * 7919) % sources.length]!], { mode })));
  const walls = samples.map((s) => s.wall);
  const cpus = samples.map((s) => s.cpu);
  const naive = medianOf(3, () => (mode === 'reachability' ? naiveReach(flat, [sources[123]!]) : naiveWhatIf(flat, qualities, [sources[123]!], 'Bad_NotConnected')));
  const p50 = { wall: median(walls), cpu: median(cpus) };
  single.push([mode, fmt(p50), `${quantile(walls, 0.99).toFixed(3)} / ${quantile(cpus, 0.99).toFixed(3)}`, fmt(naive), ratio(naive, p50)]);
}
printTable('impact of one process variable (3,000 different variables; wall / CPU ms)', ['mode', 'median', 'p99', 'naive fixpoint', 'speed-up'], single);

const cell = 'cell007';
const cellMembers = [...flat.properties].filter(([, p]) => p.connection === cell).map(([path]) => path);
const rows: string[][] = [];
const wide = (label: string, roots: ImpactRoot[], naiveRoots: string[], naiveRuns: number) => {
  for (const mode of ['reachability', 'what-if'] as const) {
    const result = graph.impact(roots, { mode });
    const fast = medianOf(mode === 'reachability' ? 15 : 9, () => graph.impact(roots, { mode }));
    const naive = medianOf(naiveRuns, () => (mode === 'reachability' ? naiveReach(flat, naiveRoots) : naiveWhatIf(flat, qualities, naiveRoots, 'Bad_NotConnected')));
    rows.push([`${label}, ${mode}`, String(result.properties.length), String(result.twins.length), fmt(fast), fmt(naive), ratio(naive, fast)]);
  }
};
wide(`one connection (${cell})`, [{ connection: cell }], cellMembers, 3);
wide('whole broker (topic #)', [{ topic: '#' }], sources, 1);
printTable('impact of a connection and of the whole broker (wall / CPU ms)', ['roots, mode', 'properties', 'twins', 'median', 'naive fixpoint', 'speed-up'], rows);

// can(): 200 callers (line operators, some also viewers) over random paths, READ and WRITE.
const paths = [...flat.properties.keys()];
const callers: Caller[] = Array.from({ length: 200 }, (_, i) => ({
  user: `u${i}`,
  roles: [`line${String((i % 100) + 1).padStart(3, '0')}-operator`, ...(i % 3 === 0 ? ['viewer'] : [])],
}));
const plain = createTwinGraph({ definition: plant.definition, memoiseAccess: false });
const decide = (g: TwinGraph, n: number) => () => {
  let allowed = 0;
  for (let i = 0; i < n; i++) if (g.can(callers[i % 200]!, paths[(i * 7919) % paths.length]!, i & 1 ? 'READ' : 'WRITE')) allowed++;
  return allowed;
};
decide(graph, 1_000_000)(); // fills the memo once, as a long-running gateway would have
const memo = medianOf(5, decide(graph, 1_000_000));
const unmemo = medianOf(5, decide(plain, 200_000));
const us = (t: Timing, n: number) => `${((t.wall * 1000) / n).toFixed(2)} / ${((t.cpu * 1000) / n).toFixed(2)}`;
printTable('access decisions (wall / CPU)', ['can()', 'µs per decision', 'decisions per second (CPU)', 'speed-up'], [
  ['memoised', us(memo, 1_000_000), Math.round(1e9 / memo.cpu).toLocaleString('en-US'), `${((unmemo.cpu / 200_000) / (memo.cpu / 1_000_000)).toFixed(1)}× (CPU)`],
  ['unmemoised (baseline)', us(unmemo, 200_000), Math.round(2e8 / unmemo.cpu).toLocaleString('en-US'), '1×'],
]);
graph.close();
plain.close();

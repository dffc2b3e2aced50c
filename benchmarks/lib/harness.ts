import { performance } from 'node:perf_hooks';

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A quantile (0..1) of a list of numbers, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface TimeOptions {
  /** Operations per timed run. */
  iterations: number;
  /** Timed runs; the median is reported. @default 7 */
  runs?: number;
  /** Untimed runs first, so the JIT has settled. @default 2 */
  warmup?: number;
}

/** Nanoseconds per operation of a synchronous `op(i)`, median over several runs. */
export function nsPerOp(op: (i: number) => unknown, options: TimeOptions): number {
  const { iterations, runs = 7, warmup = 2 } = options;
  const samples: number[] = [];
  let sink: unknown;
  for (let r = 0; r < warmup + runs; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) sink = op(i);
    const elapsed = performance.now() - start;
    if (r >= warmup) samples.push((elapsed * 1e6) / iterations);
  }
  keep(sink);
  return median(samples);
}

/**
 * Nanoseconds per operation for several contenders, timed in alternating rounds so that a change in machine
 * load affects all of them alike; the median of each is reported.
 */
export function nsPerOpInterleaved<K extends string>(
  contenders: Record<K, { op: (i: number) => unknown; iterations: number }>,
  options: { runs?: number; warmup?: number } = {},
): Record<K, number> {
  const { runs = 7, warmup = 2 } = options;
  const names = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  let sink: unknown;
  for (let r = 0; r < warmup + runs; r++) {
    for (const name of names) {
      const { op, iterations } = contenders[name];
      const start = performance.now();
      for (let i = 0; i < iterations; i++) sink = op(i);
      const elapsed = performance.now() - start;
      if (r >= warmup) samples[name].push((elapsed * 1e6) / iterations);
    }
  }
  keep(sink);
  return Object.fromEntries(names.map((n) => [n, median(samples[n])])) as Record<K, number>;
}

/** Nanoseconds per operation of an asynchronous `op(i)`, run one after another, median over several runs. */
export async function nsPerOpAsync(op: (i: number) => Promise<unknown>, options: TimeOptions): Promise<number> {
  const { iterations, runs = 7, warmup = 2 } = options;
  const samples: number[] = [];
  for (let r = 0; r < warmup + runs; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await op(i);
    const elapsed = performance.now() - start;
    if (r >= warmup) samples.push((elapsed * 1e6) / iterations);
  }
  return median(samples);
}

let blackhole: unknown;
/** Keeps a value alive so the optimiser cannot drop the work that produced it. */
export function keep(value: unknown): void {
  blackhole = value;
}
export const _blackhole = () => blackhole;

/** Prints a Markdown table, the form BENCHMARKS.md records. */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly unknown[])[]): void {
  const cells = rows.map((row) => row.map((c) => (typeof c === 'number' ? formatNumber(c) : String(c))));
  console.log(`\n### ${title}\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of cells) console.log(`| ${row.join(' | ')} |`);
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** Resident set size now, in MiB. */
export function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

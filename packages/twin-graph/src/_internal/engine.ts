import { aggregateRank, qualityAt, RANKS } from '../quality.js';
import { AGGREGATE, DERIVED, type Model } from './model.js';
import { type Cause, type GraphState, NO_CAUSES, sourceQualityRank } from './state.js';

const CALCULATION_ERROR = RANKS.of('Bad_CalculationError');

/**
 * Recomputes what changed, level by level (sources first), so each property is evaluated once per run
 * however many of its inputs changed, and propagation stops where nothing changed.
 */
export class Propagator {
  readonly #buckets: number[][];
  readonly #queued: Uint32Array;
  #epoch = 1;
  #changed: number[] = [];

  constructor(
    private readonly model: Model,
    private readonly state: GraphState,
    private readonly now: () => number,
    private readonly maxCauses: number,
  ) {
    this.#buckets = Array.from({ length: model.maxLevel + 1 }, () => []);
    this.#queued = new Uint32Array(model.size);
  }

  /** Marks a node for recomputation in the next `run`; `notify` reports it even when nothing propagates. */
  touch(node: number, notify = false): void {
    if (this.#queued[node] === this.#epoch) return;
    this.#queued[node] = this.#epoch;
    this.#buckets[this.model.level[node]!]!.push(node);
    if (notify) this.#changed.push(node);
  }

  /** Recomputes every touched node and what depends on it; returns the nodes whose state changed. */
  run(): number[] {
    const { model } = this;
    const now = this.now();
    const reported = new Set(this.#changed);
    for (const bucket of this.#buckets) {
      for (let i = 0; i < bucket.length; i++) {
        const node = bucket[i]!;
        if (!this.#recompute(node, now)) continue;
        if (!reported.has(node)) {
          reported.add(node);
          this.#changed.push(node);
        }
        for (let j = model.outStart[node]!; j < model.outStart[node + 1]!; j++) this.touch(model.outList[j]!);
      }
      bucket.length = 0;
    }
    this.#epoch++;
    const changed = this.#changed;
    this.#changed = [];
    return changed;
  }

  #recompute(node: number, now: number): boolean {
    const { model, state } = this;
    const kind = model.kind[node]!;
    let rank: number;
    let value: unknown;
    let time = state.time[node]!;
    let own = false;
    if (kind === DERIVED || kind === AGGREGATE) {
      const start = model.inStart[node]!;
      const end = model.inStart[node + 1]!;
      const ranks = model.inList.subarray(start, end).map((i) => state.rank[i]!);
      time = Number.NEGATIVE_INFINITY;
      for (let j = start; j < end; j++) time = Math.max(time, state.time[model.inList[j]!]!);
      if (!Number.isFinite(time)) time = now;
      if (kind === AGGREGATE) {
        const spec = model.aggregate[node]!;
        rank = aggregateRank(ranks, spec);
        value = rank >= RANKS.firstBad ? null : aggregateValue(model, state, node, spec.op);
      } else {
        rank = ranks.reduce((a, b) => Math.max(a, b), 0);
        value = null;
        if (rank < RANKS.firstBad) {
          const spec = model.derive[node]!;
          const input: Record<string, unknown> = {};
          for (let j = start; j < end; j++) input[spec.names[j - start]!] = state.value[model.inList[j]!];
          try {
            value = spec.expression.evaluate(input) ?? null;
            if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('not a finite number');
            // An engine that falls back to asynchronous evaluation cannot give a value now.
            if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') throw new TypeError('asynchronous result');
          } catch {
            value = null;
            rank = CALCULATION_ERROR;
            own = true;
          }
        }
      }
      if (value !== null) state.raw[node] = value;
    } else {
      rank = sourceQualityRank(model, state, node);
      value = rank >= RANKS.firstBad ? null : state.raw[node];
    }
    const previous = state.rank[node]!;
    const causes = rank === 0 ? NO_CAUSES : own || !(kind === DERIVED || kind === AGGREGATE) ? this.#ownCause(node, rank, previous, now) : this.#inputCauses(node);
    const changed = previous !== rank || !sameValue(state.value[node], value) || !sameCauses(state.causes[node]!, causes);
    if (previous !== rank) state.since[node] = now;
    state.rank[node] = rank;
    state.value[node] = value;
    state.time[node] = time;
    state.causes[node] = causes;
    if (rank < RANKS.firstUncertain) {
      state.lastGood[node] = value;
      state.lastGoodTime[node] = time;
    }
    return changed;
  }

  #ownCause(node: number, rank: number, previous: number, now: number): readonly Cause[] {
    const { model, state } = this;
    if (rank === previous && state.causes[node]!.length === 1 && state.causes[node]![0]!.path === model.paths[node]) return state.causes[node]!;
    const c = model.connectionOf[node]!;
    const cause: Cause = { path: model.paths[node]!, quality: qualityAt(rank), since: now, ...(c >= 0 && state.connectionPhase[c] ? { connection: model.connections[c] } : {}) };
    return [cause];
  }

  /** The root causes of the non-Good inputs, de-duplicated, oldest first, at most `maxCauses`. */
  #inputCauses(node: number): readonly Cause[] {
    const { model, state } = this;
    let only = -1;
    for (let j = model.inStart[node]!; j < model.inStart[node + 1]!; j++) {
      if (state.rank[model.inList[j]!] === 0) continue;
      if (only >= 0) {
        only = -2;
        break;
      }
      only = model.inList[j]!;
    }
    if (only >= 0) return state.causes[only]!; // one input not Good: share its list
    const seen = new Set<string>();
    const all: Cause[] = [];
    for (let j = model.inStart[node]!; j < model.inStart[node + 1]!; j++) {
      const input = model.inList[j]!;
      if (state.rank[input] === 0) continue;
      for (const cause of state.causes[input]!) {
        if (seen.has(cause.path)) continue;
        seen.add(cause.path);
        all.push(cause);
      }
    }
    all.sort((a, b) => a.since - b.since || (a.path < b.path ? -1 : 1));
    if (all.length > this.maxCauses) all.length = this.maxCauses;
    return all;
  }
}

function aggregateValue(model: Model, state: GraphState, node: number, op: string): number | null {
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = model.inStart[node]!; j < model.inStart[node + 1]!; j++) {
    const input = model.inList[j]!;
    const v = state.value[input];
    // Bad inputs have a null value; Good and Uncertain numeric values take part, as in OPC UA Part 13.
    if (typeof v !== 'number' || state.rank[input]! >= RANKS.firstBad) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (op === 'count') return count;
  if (count === 0) return null;
  return op === 'sum' ? sum : op === 'avg' ? sum / count : op === 'min' ? min : max;
}

function sameCauses(a: readonly Cause[], b: readonly Cause[]): boolean {
  return a === b || (a.length === b.length && a.every((c, i) => c === b[i]));
}

/** Structural equality of JSON-like values, so a recomputed but equal object does not propagate. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

import { aggregateRank, RANKS } from '../quality.js';
import { AGGREGATE, DERIVED, type Model } from './model.js';
import type { GraphState } from './state.js';

const CALCULATION_ERROR = RANKS.of('Bad_CalculationError');

/** Affected properties (with their what-if quality rank, or -1 in reachability mode) and twins. */
export interface RawImpact {
  properties: number[];
  ranks: number[];
  twins: number[];
}

/**
 * Impact analysis in time linear in the affected part of the graph: stamps (not sets) mark what was seen,
 * so nothing is cleared between calls, and every property and twin is counted once even in diamonds.
 */
export class ImpactAnalyzer {
  readonly #seen: Uint32Array;
  readonly #twinSeen: Uint32Array;
  readonly #hypothetical: Uint8Array;
  readonly #buckets: number[][];
  #epoch = 0;

  constructor(
    private readonly model: Model,
    private readonly state: GraphState,
  ) {
    this.#seen = new Uint32Array(model.size);
    this.#twinSeen = new Uint32Array(model.size);
    this.#hypothetical = new Uint8Array(model.size);
    this.#buckets = Array.from({ length: model.maxLevel + 1 }, () => []);
  }

  /** Everything downstream of the roots. */
  reach(roots: readonly number[]): RawImpact {
    const { model } = this;
    const epoch = ++this.#epoch;
    const seen = this.#seen;
    const properties: number[] = [];
    for (const root of roots) {
      if (seen[root] === epoch) continue;
      seen[root] = epoch;
      properties.push(root);
    }
    for (let i = 0; i < properties.length; i++) {
      const node = properties[i]!;
      for (let j = model.outStart[node]!; j < model.outStart[node + 1]!; j++) {
        const d = model.outList[j]!;
        if (seen[d] !== epoch) {
          seen[d] = epoch;
          properties.push(d);
        }
      }
    }
    return { properties, ranks: [], twins: this.#twins(properties, epoch) };
  }

  /** The properties whose quality would change if the roots took `rootRank` (or worse, if already worse). */
  whatIf(roots: readonly number[], rootRank: number): RawImpact {
    const { model, state } = this;
    const epoch = ++this.#epoch;
    const seen = this.#seen; // seen = has a hypothetical rank in this epoch
    const hypothetical = this.#hypothetical;
    const rankOf = (n: number) => (seen[n] === epoch ? hypothetical[n]! : state.rank[n]!);
    const properties: number[] = [];
    const ranks: number[] = [];
    const queued = this.#twinSeen; // borrowed for queue marks; twins are stamped after the walk
    const schedule = (node: number) => {
      for (let j = model.outStart[node]!; j < model.outStart[node + 1]!; j++) {
        const d = model.outList[j]!;
        if (queued[d] !== epoch && seen[d] !== epoch) {
          queued[d] = epoch;
          this.#buckets[model.level[d]!]!.push(d);
        }
      }
    };
    for (const root of roots) {
      if (seen[root] === epoch) continue;
      const rank = Math.max(state.rank[root]!, rootRank);
      seen[root] = epoch;
      hypothetical[root] = rank;
      if (rank !== state.rank[root]) {
        properties.push(root);
        ranks.push(rank);
        schedule(root);
      }
    }
    for (const bucket of this.#buckets) {
      for (let i = 0; i < bucket.length; i++) {
        const node = bucket[i]!;
        if (seen[node] === epoch) continue; // a root: its failure is given
        const start = model.inStart[node]!;
        const end = model.inStart[node + 1]!;
        let rank = 0;
        if (model.kind[node] === AGGREGATE) {
          const inputs = new Array<number>(end - start);
          for (let j = start; j < end; j++) inputs[j - start] = rankOf(model.inList[j]!);
          rank = aggregateRank(inputs, model.aggregate[node]!);
        } else if (model.kind[node] === DERIVED) {
          for (let j = start; j < end; j++) rank = Math.max(rank, rankOf(model.inList[j]!));
          // A calculation that already fails keeps failing unless its inputs turn Bad.
          if (state.rank[node] === CALCULATION_ERROR && rank < RANKS.firstBad) rank = CALCULATION_ERROR;
        }
        seen[node] = epoch;
        hypothetical[node] = rank;
        if (rank !== state.rank[node]) {
          properties.push(node);
          ranks.push(rank);
          schedule(node);
        }
      }
      bucket.length = 0;
    }
    return { properties, ranks, twins: this.#twins(properties, ++this.#epoch) };
  }

  /** Owners of the affected properties, then every twin that uses an affected twin, transitively. */
  #twins(properties: readonly number[], epoch: number): number[] {
    const { model } = this;
    const seen = this.#twinSeen;
    const twins: number[] = [];
    for (const p of properties) {
      const owner = model.parent[p]!;
      if (seen[owner] !== epoch) {
        seen[owner] = epoch;
        twins.push(owner);
      }
    }
    for (let i = 0; i < twins.length; i++) {
      for (const user of model.usedBy[twins[i]!]!) {
        if (seen[user] !== epoch) {
          seen[user] = epoch;
          twins.push(user);
        }
      }
    }
    return twins;
  }
}

import { qualityAt, RANKS } from '../quality.js';
import type { PropertyKind, PropertyReading, TwinReading } from '../readings.js';
import { AGGREGATE, DERIVED, type Model, SETPOINT, TWIN } from './model.js';
import type { Cause, GraphState } from './state.js';

const KINDS: Record<number, PropertyKind> = { 1: 'source', [DERIVED]: 'derived', [AGGREGATE]: 'aggregate', [SETPOINT]: 'setpoint' };

/** A property's state as the caller may see it: causes it may not read are counted, not shown. */
export function readProperty(model: Model, state: GraphState, node: number, readable: (n: number) => boolean): PropertyReading {
  const rank = state.rank[node]!;
  const causes: Cause[] = [];
  let hidden = 0;
  for (const cause of state.causes[node]!) {
    if (readable(model.byPath.get(cause.path)!)) causes.push(cause);
    else hidden++;
  }
  const reading: PropertyReading = {
    path: model.paths[node]!,
    kind: KINDS[model.kind[node]!]!,
    value: state.value[node],
    quality: qualityAt(rank),
    timestamp: state.time[node]!,
    since: state.since[node]!,
    causes,
    hiddenCauses: hidden,
  };
  if (rank >= RANKS.firstUncertain && !Number.isNaN(state.lastGoodTime[node]!)) {
    reading.lastGood = { value: state.lastGood[node], timestamp: state.lastGoodTime[node]! };
  }
  return reading;
}

/** A twin with what the caller may read below it, or undefined when that is nothing. */
export function readTwin(model: Model, state: GraphState, node: number, readable: (n: number) => boolean): TwinReading | undefined {
  const path = model.paths[node]!;
  const reading: TwinReading = { path, properties: {}, twins: {}, uses: model.uses[node]!.filter(readable).map((t) => model.paths[t]!) };
  let any = readable(node);
  for (const child of model.children[node]!) {
    const name = model.paths[child]!.slice(path.length + 1);
    if (model.kind[child] === TWIN) {
      const twin = readTwin(model, state, child, readable);
      if (twin) reading.twins[name] = twin;
      any ||= twin !== undefined;
    } else if (readable(child)) {
      reading.properties[name] = readProperty(model, state, child, readable);
      any = true;
    }
  }
  return any ? reading : undefined;
}

/**
 * Every root cause of a property's quality: the non-Good nodes below it, through non-Good inputs, that have
 * no non-Good input of their own. Each node is visited once.
 */
export function rootCauses(model: Model, state: GraphState, node: number): Cause[] {
  const out: Cause[] = [];
  if (state.rank[node] === 0) return out;
  const seen = new Set<number>([node]);
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    let leaf = true;
    for (let j = model.inStart[n]!; j < model.inStart[n + 1]!; j++) {
      const input = model.inList[j]!;
      if (state.rank[input] === 0) continue;
      leaf = false;
      if (!seen.has(input)) {
        seen.add(input);
        stack.push(input);
      }
    }
    if (!leaf) continue;
    const own = state.causes[n]!.find((c) => c.path === model.paths[n]);
    out.push(own ?? { path: model.paths[n]!, quality: qualityAt(state.rank[n]!), since: state.since[n]! });
  }
  return out.sort((a, b) => a.since - b.since || (a.path < b.path ? -1 : 1));
}

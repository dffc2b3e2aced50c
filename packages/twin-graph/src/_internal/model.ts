import type { TopicFilter, TopicIndex } from '@iiot/core';
import type { AggregateOp } from '../definition.js';
import type { CompiledExpression } from '../expression.js';
import type { CompiledPolicy } from './policy.js';

export const TWIN = 0;
export const SOURCE = 1;
export const DERIVED = 2;
export const AGGREGATE = 3;
export const SETPOINT = 4;

export interface SourceSpec {
  topic: string;
  /** Only for filters with wildcards; exact topics are matched through `exactTopics`. */
  filter: TopicFilter | undefined;
  value: CompiledExpression | undefined;
  maxAge: number | undefined;
}

export interface DeriveSpec {
  expression: CompiledExpression;
  /** Input names, in the order of the node's inputs. */
  names: string[];
}

export interface AggregateSpec {
  op: AggregateOp;
  percentGood: number;
  percentBad: number;
}

export interface SetpointSpec {
  topic: string | undefined;
  targets: number[];
}

/**
 * The loaded graph: twins and properties share one id space (a node), so paths, the composition tree and
 * access decisions are uniform. Dependencies are stored as compressed adjacency arrays for linear walks.
 */
export interface Model {
  size: number;
  paths: string[];
  parent: Int32Array;
  kind: Uint8Array;
  /** Child twins and properties of each twin. */
  children: (readonly number[])[];
  byPath: Map<string, number>;
  uses: (readonly number[])[];
  usedBy: (readonly number[])[];
  /** Inputs of derived and aggregate properties: `inList[inStart[i] .. inStart[i+1]]`. */
  inStart: Int32Array;
  inList: Int32Array;
  /** The reverse: properties computed from each node. */
  outStart: Int32Array;
  outList: Int32Array;
  /** 0 for sources and setpoints, else one more than the highest input. */
  level: Uint16Array;
  maxLevel: number;
  source: (SourceSpec | undefined)[];
  derive: (DeriveSpec | undefined)[];
  aggregate: (AggregateSpec | undefined)[];
  setpoint: (SetpointSpec | undefined)[];
  /** Index into `connections`, or -1. */
  connectionOf: Int32Array;
  connections: string[];
  connectionMembers: number[][];
  /** Sources bound to an exact topic (most of a plant): one map lookup per message. */
  exactTopics: Map<string, number[]>;
  /** Sources bound to a filter with wildcards. */
  topics: TopicIndex<number>;
  policy: CompiledPolicy;
}

/** A shared empty list for the many nodes without children, uses or inputs. */
export const NONE: readonly number[] = Object.freeze([]) as readonly number[];

/** Returns one cycle (as node ids, first repeated at the end) reachable from `starts`, or undefined. */
export function findCycle(
  starts: Iterable<number>,
  edges: (node: number) => readonly number[],
  size: number,
): number[] | undefined {
  const color = new Uint8Array(size); // 0 new, 1 on stack, 2 done
  for (const start of starts) {
    if (color[start]) continue;
    const stack: Array<{ node: number; next: number }> = [{ node: start, next: 0 }];
    color[start] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const out = edges(top.node);
      if (top.next === out.length) {
        color[top.node] = 2;
        stack.pop();
        continue;
      }
      const to = out[top.next++]!;
      if (color[to] === 1) {
        const from = stack.findIndex((f) => f.node === to);
        return [...stack.slice(from).map((f) => f.node), to];
      }
      if (color[to] === 0) {
        color[to] = 1;
        stack.push({ node: to, next: 0 });
      }
    }
  }
  return undefined;
}

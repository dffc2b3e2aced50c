// Object constructors and grouping: `{ key: value }` evaluates the key for every item of the input, groups
// the items by key, then evaluates each value once per group with the group as its context.
import type { Evaluator } from './apply.js';
import type { Frame } from './frame.js';
import type { AstNode, NodeCompiler } from './node.js';
import { append, createSequence, jsonataError, type Sequence, type Tuple } from './values.js';

interface Group {
  data: unknown;
  exprIndex: number;
}

/** Merges a group of tuples into one tuple whose bindings are sequences. */
function reduceTuples(tuples: unknown): Tuple {
  if (!Array.isArray(tuples)) return tuples as Tuple;
  const result: Tuple = Object.assign(Object.create(null), tuples[0]);
  for (let i = 1; i < tuples.length; i++) {
    const tuple = tuples[i] as Tuple;
    for (const prop of Object.keys(tuple)) result[prop] = append(result[prop], tuple[prop]);
  }
  return result;
}

/** Compiles the `{ … }` grouping attached to a node or path (`lhs` is the list of key/value pairs). */
export function compileGroup(node: AstNode, compile: NodeCompiler): (input: unknown, env: Frame) => unknown {
  const pairs = (node.lhs as [AstNode, AstNode][]).map(([key, value]) => [compile(key), compile(value)] as const);
  const position = node.position;
  return (input, env) => {
    const reduce = (input as Sequence | undefined)?.tupleStream === true;
    let items = (Array.isArray(input) ? input : createSequence(input)) as Sequence;
    // An empty input still yields one evaluation, so a literal object constructor always produces an object.
    if (items.length === 0 && !reduce) items = createSequence(undefined);
    const groups = new Map<string, Group>();
    for (const item of items) {
      const itemEnv = reduce ? env.withTuple(item as Tuple) : env;
      const context = reduce ? (item as Tuple)['@'] : item;
      for (let p = 0; p < pairs.length; p++) {
        const key = pairs[p]![0](context, itemEnv);
        if (key === undefined) continue;
        if (typeof key !== 'string') throw jsonataError('T1003', { position, value: key });
        if (key === '_jsonata_lambda' || key === '_jsonata_function') {
          throw jsonataError('D1013', { position, value: key });
        }
        const existing = groups.get(key);
        if (!existing) {
          groups.set(key, { data: item, exprIndex: p });
        } else if (existing.exprIndex !== p) {
          throw jsonataError('D1009', { position, value: key });
        } else {
          existing.data = append(existing.data, item);
        }
      }
    }
    const result: Record<string, unknown> = Object.create(null);
    for (const [key, group] of groups) {
      let context = group.data;
      let groupEnv = env;
      if (reduce) {
        const tuple = reduceTuples(group.data);
        context = tuple['@'];
        delete tuple['@'];
        groupEnv = env.withTuple(tuple);
      }
      const value = pairs[group.exprIndex]![1](context, groupEnv);
      if (value !== undefined) result[key] = value;
    }
    return result;
  };
}

/** Compiles an object constructor `{ … }` in value position. */
export function compileObjectConstructor(node: AstNode, compile: NodeCompiler): Evaluator {
  const general = compileGroup(node, compile);
  const pairs = node.lhs as [AstNode, AstNode][];
  const keys = pairs.map(([key]) => (key.type === 'string' ? (key.value as string) : undefined));
  const literal = keys.every((k) => k !== undefined && k !== '_jsonata_lambda' && k !== '_jsonata_function');
  if (!literal || new Set(keys).size !== keys.length) return general;
  // With distinct literal keys over a single (non-array) context every pair is its own group.
  const values = pairs.map(([, value]) => compile(value));
  return (input, env) => {
    if (Array.isArray(input)) return general(input, env);
    const result: Record<string, unknown> = Object.create(null);
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!(input, env);
      if (value !== undefined) result[keys[i]!] = value;
    }
    return result;
  };
}

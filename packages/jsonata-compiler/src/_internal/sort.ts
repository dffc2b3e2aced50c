import type { Frame } from './frame.js';
import { mergeSort } from './higher-order.js';
import type { AstNode, NodeCompiler } from './node.js';
import { jsonataError, type Sequence, type Tuple } from './values.js';

/** Compiles an order-by step `^(…)`: a stable sort on one or more terms, undefined keys last. */
export function compileSort(node: AstNode, compile: NodeCompiler): (input: Sequence, env: Frame) => unknown {
  const terms = (node.terms as { descending: boolean; expression: AstNode }[]).map((term) => ({
    descending: term.descending,
    key: compile(term.expression),
  }));
  const position = node.position;
  return (input, env) => {
    const tuples = input.tupleStream === true;
    const keyOf = (item: unknown, key: (i: unknown, e: Frame) => unknown) =>
      tuples ? key((item as Tuple)['@'], env.withTuple(item as Tuple)) : key(item, env);
    const swap = (a: unknown, b: unknown): boolean => {
      let comp = 0;
      for (let t = 0; comp === 0 && t < terms.length; t++) {
        const term = terms[t]!;
        const aa = keyOf(a, term.key);
        const bb = keyOf(b, term.key);
        const atype = typeof aa;
        const btype = typeof bb;
        if (atype === 'undefined') {
          comp = btype === 'undefined' ? 0 : 1;
          continue;
        }
        if (btype === 'undefined') {
          comp = -1;
          continue;
        }
        if (!(atype === 'string' || atype === 'number') || !(btype === 'string' || btype === 'number')) {
          throw jsonataError('T2008', { position, value: atype === 'string' || atype === 'number' ? bb : aa });
        }
        if (atype !== btype) throw jsonataError('T2007', { position, value: aa, value2: bb });
        if (aa === bb) continue;
        comp = (aa as number) < (bb as number) ? -1 : 1;
        if (term.descending) comp = -comp;
      }
      return comp === 1;
    };
    // Like jsonata-js, the sorted copy is a plain array: it carries no sequence or tuple-stream flag.
    return mergeSort(input, swap);
  };
}

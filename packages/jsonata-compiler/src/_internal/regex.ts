import type { Evaluator } from './apply.js';
import type { MatchResult } from './higher-order.js';
import { type AstNode, NotCompiled } from './node.js';
import { jsonataError } from './values.js';

/** Compiles a regex literal into JSONata's matcher function: `(str, from?) => match | undefined`. */
export function compileRegex(node: AstNode): Evaluator {
  const source = node.value;
  // The parser's `?:` copies its left side through JSON, which leaves a regex literal as `{}`.
  if (!(source instanceof RegExp)) throw new NotCompiled('a regex literal on the left of ?:');
  return () => {
    // A fresh RegExp per evaluation: `lastIndex` is state that must not leak between evaluations.
    const re = new RegExp(source);
    const matcher = (str: string, fromIndex?: number): MatchResult | undefined => {
      re.lastIndex = fromIndex ?? 0;
      const found = re.exec(str);
      if (found === null) return undefined;
      return {
        match: found[0],
        start: found.index,
        end: found.index + found[0].length,
        groups: found.slice(1),
        next: () => {
          if (re.lastIndex >= str.length) return undefined;
          const next = matcher(str, re.lastIndex);
          if (next && next.match === '') {
            throw jsonataError('D1004', { position: node.position, value: source.source });
          }
          return next;
        },
      };
    };
    return matcher;
  };
}

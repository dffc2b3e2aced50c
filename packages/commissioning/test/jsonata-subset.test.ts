import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { isSimpleJsonata } from '../src/_internal/jsonata-subset.js';

// Recognising an expression skips jsonata's parse, so a recognised expression must be one jsonata accepts.
function parses(expression: string): boolean {
  try {
    jsonata(expression);
    return true;
  } catch {
    return false;
  }
}

const recognised = [
  '$.kind & "-1"',
  '{\n  "value": $.value * 3,\n  "line": 5,\n  "ts": $now()\n}\n',
  'value > 42',
  "a.b.c = 'x' and $not(flag) or -n in [1, 2.5e3, -0.5]",
  '($x + 1) % 2 != 0 /* odd */',
  '{}',
  '[]',
  'true',
  '$sum([1, 2]) <= $count(items) >= 0',
];

const notRecognised = [
  'a[0]',
  'a ? b : c',
  '$x := 1',
  'a ~> $f()',
  'a/b',
  '"a\\"b"',
  'function($x) { $x }',
  'a{b: c}',
  '**.x',
  'a..b',
  '/* unclosed',
  '1e400',
  '"x"and"y"',
  '1 and$x',
  'true.x',
  'a(1)',
  '$$',
  '',
];

describe('the simple JSONata recogniser', () => {
  it('recognises the common forms of rule expressions, all of which jsonata parses', () => {
    for (const e of recognised) {
      expect(isSimpleJsonata(e), e).toBe(true);
      expect(parses(e), e).toBe(true);
    }
  });

  it('leaves everything else to jsonata', () => {
    for (const e of notRecognised) expect(isSimpleJsonata(e), e).toBe(false);
  });

  it('never recognises an expression jsonata rejects', () => {
    const pieces = [...' \n\t', ...'.[]{}(),:;?+-*/%&=<>!~^|@#$"\'`\\', '!=', '<=', '>=', ':=', '..', '**', '/*', '*/'];
    const words = ['a', 'b1', '_x', '$', '$f', '$now', 'and', 'or', 'in', 'true', 'null', 'function', '0', '12', '1.5', '2e3', '"s"', "'t'", '"u'];
    const expression = fc.array(fc.constantFrom(...pieces, ...words, ...words, ' '), { maxLength: 14 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(expression, fc.constantFrom(...recognised).chain((e) => fc.nat(e.length).map((n) => e.slice(0, n)))), (e) => {
        if (isSimpleJsonata(e)) expect(parses(e), e).toBe(true);
      }),
      { numRuns: 4000 },
    );
  });
});

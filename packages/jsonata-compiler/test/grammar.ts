// A small JSONata grammar and random JSON documents for differential testing.
import fc from 'fast-check';

const FIELDS = ['a', 'b', 'c', 'd'];

/** Random JSON documents (objects at the top) over a few field names. */
export const json = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -20, max: 20 }),
    fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    fc.constantFrom('x', 'y', 'ab', 'A b', '', '10'),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('object'),
  ),
  object: fc.dictionary(fc.constantFrom(...FIELDS), tie('value'), { maxKeys: 4 }),
}));

const field = fc.constantFrom(...FIELDS);
const literal = fc.oneof(
  fc.integer({ min: -5, max: 10 }).map(String),
  fc.constantFrom('"x"', '"ab"', '""', 'true', 'false', 'null', '1.5', '"a"'),
);
const path = fc.oneof(
  fc.array(field, { minLength: 1, maxLength: 3 }).map((names) => names.join('.')),
  fc.tuple(field, field).map(([x, y]) => `$.${x}.${y}`),
  fc.tuple(field, fc.integer({ min: -2, max: 2 })).map(([x, i]) => `${x}[${i}]`),
  field.map((x) => `*.${x}`),
  field.map((x) => `**.${x}`),
  fc.constantFrom('$', '$$', '*', 'a[]'),
);

const UNARY_FUNCTIONS = [
  '$string', '$number', '$boolean', '$not', '$exists', '$count', '$sum', '$max', '$min', '$average', '$length',
  '$uppercase', '$lowercase', '$trim', '$keys', '$reverse', '$distinct', '$type', '$abs', '$floor', '$ceil',
  '$round', '$sort', '$append', '$spread', '$merge', '$each', '$join', '$sqrt',
];
const BINARY_OPERATORS = ['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', '&', 'and', 'or', 'in'];

/** Random expressions: paths, operators, functions, constructors, lambdas, bindings, sorting. */
export const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => {
  const expr = tie('expr');
  return {
    expr: fc.oneof(
      { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
      path,
      literal,
      fc.tuple(expr, fc.constantFrom(...BINARY_OPERATORS), expr).map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc.tuple(fc.constantFrom(...UNARY_FUNCTIONS), expr).map(([f, x]) => `${f}(${x})`),
      fc.tuple(expr, expr, expr).map(([c, t, e]) => `(${c} ? ${t} : ${e})`),
      fc.tuple(field, expr).map(([x, p]) => `${x}[${p}]`),
      fc.tuple(field, expr, expr).map(([k, v, w]) => `{"${k}": ${v}, "z": ${w}}`),
      fc.tuple(expr, expr).map(([x, y]) => `[${x}, ${y}]`),
      fc.tuple(field, field, expr).map(([x, k, v]) => `${x}{${k}: ${v}}`),
      fc.tuple(expr, expr).map(([x, y]) => `($v := ${x}; $v ${'&'} ${y})`),
      fc.tuple(expr, expr).map(([x, y]) => `$map(${x}, function($e, $i) { [$e, $i, ${y}] })`),
      fc.tuple(expr, expr).map(([x, y]) => `$filter(${x}, function($e) { $e = ${y} })`),
      fc.tuple(expr).map(([x]) => `$reduce(${x}, function($p, $e) { $p + $e })`),
      fc.tuple(field, field).map(([x, y]) => `${x}.${y}^(>$)`),
      fc.tuple(field, field).map(([x, y]) => `${x}#$i.${y}[$i < 2]`),
      fc.tuple(field, field).map(([x, y]) => `${x}@$o.${y}.{"o": $o, "v": $}`),
      fc.tuple(expr, fc.constantFrom('$string', '$count', '$uppercase', '$keys')).map(([x, f]) => `(${x} ~> ${f})`),
      // The parser copies the left side of ?: through JSON, which would turn a regex into a non-regex.
      fc.tuple(path, expr).map(([x, y]) => `(${x} ?: ${y})`),
      fc.tuple(path, expr).map(([x, y]) => `(${x} ?? ${y})`),
      fc.tuple(fc.integer({ min: -3, max: 5 }), fc.integer({ min: -3, max: 8 })).map(([l, h]) => `[${l}..${h}]`),
      fc.tuple(expr, fc.integer({ min: 0, max: 3 })).map(([x, n]) => `$substring($string(${x}), ${n}, 2)`),
      fc.tuple(expr).map(([x]) => `$split($string(${x}), /[a1]/)`),
      fc.tuple(expr).map(([x]) => `$replace($string(${x}), "a", "<$0>")`),
      fc.tuple(expr).map(([x]) => `$contains($string(${x}), /b|x/)`),
    ),
  };
}).expr;

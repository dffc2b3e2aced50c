// The string-free `$round` must return exactly what the library's `$round` returns, bit for bit.
import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { fastRound } from '../src/_internal/round.js';

type Round = Parameters<typeof fastRound>[0];
const library = ((await jsonata('$round').evaluate(undefined)) as { implementation: Round }).implementation;
const round = fastRound(library);

/** Same double, -0 and NaN included. */
function same(arg: number, precision: number | undefined): boolean {
  return Object.is(round(arg, precision), library(arg, precision));
}

const precision = fc.oneof(fc.integer({ min: -4, max: 18 }), fc.constant(undefined), fc.double({ min: -3, max: 20 }));
/** Short decimals (readings, prices) and values at or next to the halfway points, where rounding is decided. */
const decimal = fc
  .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom(0, 5, 4.999, 5.001))
  .map(([digits, places, tail]) => (digits * 10 + tail) / 10 ** (places + 1));

describe('$round without strings', () => {
  it('agrees with the library on classic decimal cases', () => {
    for (const [arg, p] of [
      [1.005, 2], [2.675, 2], [1.255, 2], [0.125, 2], [0.135, 2], [-0.125, 2], [-0.001, 2], [21.55, 1],
      [1e-320, 5], [123456789.123455, 6], [4.35, 1], [-4.35, 1], [8.345, 2], [1.45, 1], [2 ** 45 / 100, 2],
    ] as const) {
      expect(same(arg, p), `$round(${arg}, ${p})`).toBe(true);
    }
  });

  it('agrees with the library on any double and precision', () => {
    fc.assert(fc.property(fc.double(), precision, (arg, p) => same(arg, p)), { numRuns: 20_000 });
  });

  it('agrees with the library on short decimals and near-ties', () => {
    fc.assert(fc.property(decimal, fc.integer({ min: 1, max: 15 }), (arg, p) => same(arg, p)), { numRuns: 50_000 });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateQuality, compareQuality, QUALITY_CODES, type Quality, qualitySeverity, worstQuality } from '../src/index.js';

const quality = fc.constantFrom(...QUALITY_CODES);
const notWorse = (a: Quality, b: Quality) => compareQuality(a, b) <= 0;
/** A quality at least as bad as `q`. */
const worsen = (q: Quality) => fc.constantFrom(...QUALITY_CODES.filter((x) => compareQuality(x, q) >= 0));

describe('quality lattice', () => {
  it('orders Good < Uncertain < Bad', () => {
    fc.assert(
      fc.property(quality, quality, (a, b) => {
        const order = { Good: 0, Uncertain: 1, Bad: 2 };
        if (order[qualitySeverity(a)] < order[qualitySeverity(b)]) expect(compareQuality(a, b)).toBeLessThan(0);
      }),
    );
  });

  it('combining is commutative, associative, idempotent, with Good as identity', () => {
    fc.assert(
      fc.property(quality, quality, quality, (a, b, c) => {
        expect(worstQuality(a, b)).toBe(worstQuality(b, a));
        expect(worstQuality(worstQuality(a, b), c)).toBe(worstQuality(a, worstQuality(b, c)));
        expect(worstQuality(a, a)).toBe(a);
        expect(worstQuality(a, 'Good')).toBe(a);
      }),
    );
  });

  it('combining is monotone: a worse input never gives a better result', () => {
    fc.assert(
      fc.property(fc.array(quality, { minLength: 1, maxLength: 6 }), fc.nat(), (inputs, at) => {
        const i = at % inputs.length;
        for (const worse of QUALITY_CODES.filter((x) => compareQuality(x, inputs[i]!) >= 0)) {
          const changed = inputs.with(i, worse);
          expect(notWorse(worstQuality(...inputs), worstQuality(...changed))).toBe(true);
        }
      }),
    );
  });

  it('aggregates are monotone and do not depend on input order, for any thresholds', () => {
    const thresholds = fc.record({ percentGood: fc.integer({ min: 1, max: 100 }), percentBad: fc.integer({ min: 1, max: 100 }) });
    fc.assert(
      fc.property(fc.array(quality, { minLength: 1, maxLength: 6 }), fc.nat(), thresholds, (inputs, at, t) => {
        const i = at % inputs.length;
        const result = aggregateQuality(inputs, t);
        expect(aggregateQuality([...inputs].reverse(), t)).toBe(result);
        fc.assert(
          fc.property(worsen(inputs[i]!), (worse) => {
            expect(notWorse(result, aggregateQuality(inputs.with(i, worse), t))).toBe(true);
          }),
          { numRuns: 5 },
        );
      }),
    );
  });

  it('applies the OPC UA Part 13 thresholds: 2 of 3 redundant inputs keep 66 % Good', () => {
    expect(aggregateQuality(['Good', 'Good', 'Bad_NotConnected'], { percentGood: 66 })).toBe('Good');
    expect(aggregateQuality(['Good', 'Bad_Stale', 'Bad_NotConnected'], { percentGood: 66 })).toBe('Uncertain_DataSubNormal');
    expect(aggregateQuality(['Good', 'Bad_Stale', 'Bad_NotConnected'], { percentGood: 66, percentBad: 60 })).toBe('Bad_NotConnected');
    expect(aggregateQuality(['Good', 'Uncertain_LastUsableValue'])).toBe('Uncertain_DataSubNormal');
    expect(aggregateQuality(['Bad_Stale', 'Bad_Stale'])).toBe('Bad_Stale');
    expect(aggregateQuality([])).toBe('Bad_NoData');
  });
});

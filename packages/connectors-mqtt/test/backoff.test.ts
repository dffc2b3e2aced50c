import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff } from '../src/_internal/backoff.js';
import { DEFAULT_CONNECTION_STRATEGY } from '../src/index.js';

const sequence = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('Backoff', () => {
  it('doubles the upper bound from initialDelay up to maxDelay (reference defaults)', () => {
    const backoff = new Backoff(DEFAULT_CONNECTION_STRATEGY, () => 0.999_999);
    const delays = Array.from({ length: 8 }, () => backoff.next());
    expect(delays).toEqual([999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999]);
    expect(backoff.attempt).toBe(8);
  });

  it('draws each delay uniformly below the bound (full jitter)', () => {
    const backoff = new Backoff(DEFAULT_CONNECTION_STRATEGY, sequence([0.5, 0.25, 0, 0.75]));
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([500, 500, 0, 6000]);
  });

  it('starts again from initialDelay after reset', () => {
    const backoff = new Backoff({ initialDelay: 100, maxDelay: 1000, incrementFactor: 3 }, () => 0.5);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([50, 150, 450]);
    backoff.reset();
    expect(backoff.attempt).toBe(0);
    expect(backoff.next()).toBe(50);
  });

  it('never leaves [0, min(maxDelay, initialDelay·factorⁿ))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 0.999_999, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (initialDelay, extra, incrementFactor, randoms) => {
          const maxDelay = initialDelay + extra;
          const backoff = new Backoff({ initialDelay, maxDelay, incrementFactor }, sequence(randoms));
          randoms.forEach((_, n) => {
            const bound = Math.min(maxDelay, initialDelay * incrementFactor ** n);
            const delay = backoff.next();
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThan(Math.max(1, bound));
          });
        },
      ),
    );
  });
});

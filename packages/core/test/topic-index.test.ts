import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTopicFilter, TopicIndex } from '../src/index.js';

describe('TopicIndex', () => {
  it('returns every matching filter with its captures', () => {
    const index = new TopicIndex<string>();
    index.add('plant/+line/+machine/temp', 'temp');
    index.add('plant/#rest', 'all');
    index.add('plant/l1/m1/temp', 'exact');
    index.add('+/+/+/+', 'anon');
    const matches = index.match('plant/l1/m1/temp');
    const byValue = Object.fromEntries(matches.map((m) => [m.value, m.vars]));
    expect(byValue).toEqual({
      temp: { line: 'l1', machine: 'm1' },
      all: { rest: 'l1/m1/temp' },
      exact: {},
      anon: {},
    });
  });

  it('does not match $ topics with leading wildcards, and a/# matches a', () => {
    const index = new TopicIndex<number>();
    index.add('#', 1);
    index.add('+/monitor/Clients', 2);
    index.add('$SYS/#', 3);
    index.add('sport/#', 4);
    expect(index.match('$SYS/monitor/Clients').map((m) => m.value)).toEqual([3]);
    expect(index.match('sport').map((m) => m.value).sort()).toEqual([1, 4]);
  });

  it('removes entries and prunes empty branches', () => {
    const index = new TopicIndex<string>();
    index.add('a/+x/c', 'one');
    index.add('a/+y/c', 'two');
    expect(index.remove('a/+x/c', 'one')).toBe(true);
    expect(index.remove('a/+x/c', 'one')).toBe(false);
    expect(index.match('a/b/c').map((m) => m.vars)).toEqual([{ y: 'b' }]);
    expect(index.remove('a/+y/c', 'two')).toBe(true);
    expect(index.size).toBe(0);
    expect(index.match('a/b/c')).toEqual([]);
  });

  it('matches topics deeper than its scratch space, capturing every level', () => {
    const index = new TopicIndex<string>();
    const levels = Array.from({ length: 300 }, (_, i) => `l${i}`);
    index.add(`${levels.slice(0, 299).join('/')}/+last`, 'deep');
    index.add('l0/#rest', 'rest');
    const matches = index.match(levels.join('/'));
    expect(Object.fromEntries(matches.map((m) => [m.value, m.vars]))).toEqual({
      deep: { last: 'l299' },
      rest: { rest: levels.slice(1).join('/') },
    });
  });

  const word = fc.constantFrom('a', 'b', 'c', '', '$x');
  const filterLevel = fc.oneof(word, fc.constant('+'), fc.constant('+v'));
  const filterArb = fc
    .tuple(fc.array(filterLevel, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([levels, multi]) => {
      let n = 0;
      // Names must be unique within one filter.
      const named = levels.map((l) => (l === '+v' ? `+v${n++}` : l));
      return multi ? [...named, '#rest'].join('/') : named.join('/');
    })
    .filter((f) => f !== '');
  const topicArb = fc.array(word, { minLength: 1, maxLength: 5 }).map((l) => l.join('/'));

  /** Every filter in `present` that a naive scan matches on each topic, with its captures, is what the index returns. */
  const expectAgreement = (index: TopicIndex<number>, present: readonly { i: number; f: string }[], topics: readonly string[]) => {
    const parsed = present.map(({ i, f }) => ({ i, filter: parseTopicFilter(f) }));
    for (const topic of topics) {
      const expected = parsed
        .map(({ i, filter }) => ({ i, vars: filter.match(topic) }))
        .filter((m) => m.vars !== undefined)
        .map((m) => JSON.stringify([m.i, m.vars]))
        .sort();
      const actual = index
        .match(topic)
        .map((m) => JSON.stringify([m.value, m.vars]))
        .sort();
      expect(actual).toEqual(expected);
    }
  };

  it('agrees with a naive linear scan on random filters and topics', () => {
    fc.assert(
      fc.property(fc.array(filterArb, { minLength: 1, maxLength: 30 }), fc.array(topicArb, { maxLength: 20 }), (filters, topics) => {
        const index = new TopicIndex<number>();
        for (const [i, f] of filters.entries()) index.add(f, i);
        expectAgreement(index, filters.map((f, i) => ({ i, f })), topics);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with a naive linear scan after random removals, and empties completely', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(filterArb, fc.boolean()), { minLength: 1, maxLength: 30 }),
        fc.array(topicArb, { maxLength: 20 }),
        (entries, topics) => {
          const index = new TopicIndex<number>();
          for (const [i, [f]] of entries.entries()) index.add(f, i);
          const all = entries.map(([f, keep], i) => ({ f, keep, i }));
          for (const { f, keep, i } of all) if (!keep) expect(index.remove(f, i)).toBe(true);
          const remaining = all.filter((e) => e.keep);
          expect(index.size).toBe(remaining.length);
          expectAgreement(index, remaining, topics);
          for (const { f, i } of remaining) expect(index.remove(f, i)).toBe(true);
          expect(index.size).toBe(0);
          expectAgreement(index, [], topics);
          // What was pruned can be added again.
          for (const { f, i } of all) index.add(f, i);
          expect(index.size).toBe(all.length);
          expectAgreement(index, all, topics);
        },
      ),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createTwinGraph, type Quality, type TwinGraphDefinition } from '../src/index.js';
import { flatten, naiveReach, naiveWhatIf } from './fixtures/naive-impact.js';
import { loadStation } from './fixtures/station.js';

const SOURCE_QUALITIES: Quality[] = ['Good', 'Good', 'Good', 'Uncertain_SensorNotAccurate', 'Bad_SensorFailure', 'Bad_NotConnected'];
const TWINS = ['g/a', 'g/b', 'g/b/c'];

/** A random DAG: sources, then derived and aggregate properties over earlier ones, spread over three twins. */
const dag = fc
  .record({
    sources: fc.array(fc.record({ twin: fc.nat(2), quality: fc.constantFrom(...SOURCE_QUALITIES), connection: fc.nat(2) }), { minLength: 1, maxLength: 8 }),
    computed: fc.array(
      fc.record({
        twin: fc.nat(2),
        aggregate: fc.boolean(),
        inputs: fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 4 }),
        percentGood: fc.constantFrom(34, 50, 66, 100),
        percentBad: fc.constantFrom(34, 50, 100),
      }),
      { maxLength: 25 },
    ),
    uses: fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { maxLength: 2 }),
    roots: fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 3 }),
    failure: fc.constantFrom<Quality>('Bad_NotConnected', 'Bad_Stale', 'Uncertain_LastUsableValue'),
  })
  .map(({ sources, computed, uses, roots, failure }) => {
    const paths: string[] = [];
    const definition: TwinGraphDefinition = { twins: { g: { twins: { a: {}, b: { twins: { c: {} } } } } } };
    const propertiesOf = (i: number) => (twinDef(definition, i).properties ??= {});
    sources.forEach((s, i) => {
      propertiesOf(s.twin)[`s${i}`] = { source: { topic: `s/${i}`, connection: `c${s.connection}` } };
      paths.push(`${TWINS[s.twin]}/s${i}`);
    });
    computed.forEach((c, i) => {
      const refs = [...new Set(c.inputs.map((k) => `/${paths[k % paths.length]}`))];
      propertiesOf(c.twin)[`p${i}`] = c.aggregate
        ? { aggregate: { op: 'sum', inputs: refs, percentGood: c.percentGood, percentBad: c.percentBad } }
        : { derive: { expression: '$count([i0, i1, i2, i3])', inputs: Object.fromEntries(refs.map((r, j) => [`i${j}`, r])) } };
      paths.push(`${TWINS[c.twin]}/p${i}`);
    });
    for (const [user, used] of uses) if (user !== used) (twinDef(definition, user).uses ??= []).push(`/${TWINS[used]}`);
    return { definition, sources, paths, roots: roots.map((r) => paths[r % paths.length]!), failure };
  });

/** The twin at TWINS[i] inside the generated definition. */
function twinDef(definition: TwinGraphDefinition, i: number) {
  const [, ...rest] = TWINS[i]!.split('/');
  let t = definition.twins.g!;
  for (const name of rest) t = t.twins![name]!;
  return t;
}

function load({ definition, sources }: { definition: TwinGraphDefinition; sources: { quality: Quality }[] }) {
  const graph = createTwinGraph({ definition });
  graph.ingest(sources.map((s, i) => ({ topic: `s/${i}`, payload: { value: i, quality: s.quality }, timestamp: 1 })));
  return graph;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('impact', () => {
  it('reachability equals the naive fixpoint on random DAGs', () => {
    fc.assert(
      fc.property(dag, (c) => {
        const graph = load(c);
        const got = graph.impact(c.roots);
        const want = naiveReach(flatten(c.definition), c.roots);
        expect(sorted(got.properties)).toEqual(sorted(want.properties));
        expect(sorted(got.twins)).toEqual(sorted(want.twins));
        expect(new Set(got.properties).size).toBe(got.properties.length);
        expect(new Set(got.twins).size).toBe(got.twins.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('what-if equals the naive fixpoint of qualities on random DAGs', () => {
    fc.assert(
      fc.property(dag, (c) => {
        const graph = load(c);
        const current = new Map(c.paths.map((p) => [p, (graph.read(p) as { quality: Quality }).quality]));
        const got = graph.impact(c.roots, { mode: 'what-if', quality: c.failure });
        const want = naiveWhatIf(flatten(c.definition), current, c.roots, c.failure);
        expect(new Map(got.properties.map((p, i) => [p, got.qualities[i]]))).toEqual(want.qualities);
        expect(sorted(got.twins)).toEqual(sorted(want.twins));
      }),
      { numRuns: 1000 },
    );
  });

  it('what-if predicts what really happens when a connection is lost', () => {
    vi.useFakeTimers();
    try {
      fc.assert(
        fc.property(dag, (c) => {
          const graph = load(c);
          const before = new Map(c.paths.map((p) => [p, (graph.read(p) as { quality: Quality }).quality]));
          const predicted = graph.impact([{ connection: 'c0' }], { mode: 'what-if' });
          graph.setConnectionState('c0', false);
          vi.advanceTimersByTime(5000);
          const after = new Map(c.paths.map((p) => [p, (graph.read(p) as { quality: Quality }).quality]));
          const changed = new Map([...after].filter(([p, q]) => q !== before.get(p)));
          expect(new Map(predicted.properties.map((p, i) => [p, predicted.qualities[i]]))).toEqual(changed);
          graph.close();
        }),
        { numRuns: 300 },
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes topic filters as roots: the sources whose binding overlaps them', () => {
    const graph = loadStation();
    const sourcesOf = (topic: string) => graph.impact([{ topic }]).properties.filter((p) => !/power|Temperature/.test(p)).sort();
    expect(sourcesOf('plant1/line2/+/current')).toEqual(['plant1/line2/pump3/current', 'plant1/line2/pump4/current']);
    expect(sourcesOf('sensors/gw9/#')).toEqual(['plant1/line2/pump3/bearing/t2', 'plant1/line2/pump3/bearing/t3']);
    expect(sourcesOf('sensors/gw9/pump3/t2/extra')).toEqual([]);
    expect(graph.impact([{ topic: '#' }]).properties).toHaveLength(graph.impact([{ topic: '+/#' }]).properties.length);
    graph.close();
  });

  it('counts a twin once in a diamond and follows uses edges', () => {
    const graph = createTwinGraph({
      definition: {
        twins: {
          site: {
            twins: {
              pump: { properties: { a: { source: { topic: 'a' } }, b: { derive: { expression: 'x', inputs: { x: 'a' } } }, c: { derive: { expression: 'x', inputs: { x: 'a' } } }, d: { derive: { expression: 'x + y', inputs: { x: 'b', y: 'c' } } } } },
              line: { uses: ['../pump'] },
              hall: { uses: ['/site/line'] },
            },
          },
        },
      },
    });
    const result = graph.impact(['site/pump/a']);
    expect(result.properties).toEqual(['site/pump/a', 'site/pump/b', 'site/pump/c', 'site/pump/d']);
    expect(result.twins).toEqual(['site/pump', 'site/line', 'site/hall']);
  });
});

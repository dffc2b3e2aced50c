import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTwinGraph, type PropertyReading } from '../src/index.js';
import { initialValues, loadStation } from './fixtures/station.js';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const PUMP3_CURRENT = 'plant1/line2/pump3/current';

describe('a connection drops and comes back (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  const read = (graph: ReturnType<typeof loadStation>, path: string) => graph.read(path) as PropertyReading;

  it('goes Uncertain then Bad, derived values and aggregates follow with the root cause, 2-of-3 stays Good, then recovers', () => {
    const graph = loadStation({ connectionLossGrace: 5000 });
    expect(read(graph, 'plant1/line2/pump3/power')).toMatchObject({ quality: 'Good', value: 6.93 });
    expect(read(graph, 'plant1/line2/power')).toMatchObject({ quality: 'Good', value: 15.24 });
    expect(read(graph, 'plant1/line2/pump3/bearingTemperature')).toMatchObject({ quality: 'Good', value: 42 });

    vi.advanceTimersByTime(1000);
    graph.setConnectionState('plc', false);
    const lostAt = T0 + 1000;
    expect(read(graph, PUMP3_CURRENT)).toMatchObject({ quality: 'Uncertain_NoCommunicationLastUsableValue', value: 10 });
    expect(read(graph, 'plant1/line2/pump3/power')).toMatchObject({
      quality: 'Uncertain_NoCommunicationLastUsableValue',
      value: 6.93,
      causes: [{ path: PUMP3_CURRENT, quality: 'Uncertain_NoCommunicationLastUsableValue', since: lostAt, connection: 'plc' }],
    });
    expect(read(graph, 'plant1/line2/power').quality).toBe('Uncertain_DataSubNormal');

    vi.advanceTimersByTime(4999);
    expect(read(graph, PUMP3_CURRENT).quality).toBe('Uncertain_NoCommunicationLastUsableValue');
    vi.advanceTimersByTime(1);
    const badAt = T0 + 6000;
    expect(read(graph, PUMP3_CURRENT)).toMatchObject({ quality: 'Bad_NotConnected', value: null, lastGood: { value: 10, timestamp: T0 } });
    const power = read(graph, 'plant1/line2/pump3/power');
    expect(power).toMatchObject({ quality: 'Bad_NotConnected', value: null, lastGood: { value: 6.93 } });
    expect(power.causes).toEqual([{ path: PUMP3_CURRENT, quality: 'Bad_NotConnected', since: badAt, connection: 'plc' }]);
    // The line's sum: pump3 is Bad, pump4 Good, so below the 100 % thresholds either way: Uncertain, over pump4 only.
    expect(read(graph, 'plant1/line2/power')).toMatchObject({ quality: 'Uncertain_DataSubNormal', value: 8.31 });
    expect(read(graph, 'plant1/line2/power').causes.map((c) => c.path)).toEqual([PUMP3_CURRENT]);
    // Two of three redundant bearing sensors are on another connection: 66 % Good keeps the average Good.
    expect(read(graph, 'plant1/line2/pump3/bearingTemperature')).toMatchObject({ quality: 'Good', value: 43, causes: [] });
    expect(graph.explain('plant1/line2/power')).toMatchObject({ quality: 'Uncertain_DataSubNormal', causes: [{ path: PUMP3_CURRENT }], hiddenCauses: 0 });

    vi.advanceTimersByTime(2000);
    graph.setConnectionState('plc', true);
    expect(read(graph, PUMP3_CURRENT)).toMatchObject({ quality: 'Uncertain_LastUsableValue', value: 10 });
    expect(read(graph, 'plant1/line2/pump3/power')).toMatchObject({ quality: 'Uncertain_LastUsableValue', value: 6.93 });

    graph.ingest(initialValues(Date.now()).map((m) => (m.topic === PUMP3_CURRENT ? { ...m, payload: { value: 11, timestamp: Date.now() } } : m)));
    expect(read(graph, PUMP3_CURRENT)).toMatchObject({ quality: 'Good', value: 11, causes: [] });
    expect(read(graph, 'plant1/line2/pump3/power')).toMatchObject({ quality: 'Good', value: 7.62, causes: [] });
    expect(read(graph, 'plant1/line2/power')).toMatchObject({ quality: 'Good', value: 15.93 });
    expect(read(graph, 'plant1/line2/pump3/power').lastGood).toBeUndefined();
    graph.close();
  });

  it('reconnecting within the grace period never shows Bad', () => {
    const graph = loadStation({ connectionLossGrace: 5000 });
    const seen: string[] = [];
    graph.subscribe(PUMP3_CURRENT).subscribe({ next: (r) => seen.push(r.quality) });
    graph.setConnectionState('plc', false);
    vi.advanceTimersByTime(3000);
    graph.setConnectionState('plc', true);
    vi.advanceTimersByTime(10_000);
    expect(seen).toEqual(['Uncertain_NoCommunicationLastUsableValue', 'Uncertain_LastUsableValue']);
    graph.close();
  });

  it('turns a silent source Bad_Stale after its maxAge, and Good again with the next value', () => {
    const graph = loadStation({ staleCheckInterval: 500 });
    const speed = 'plant1/line2/pump3/speed';
    vi.advanceTimersByTime(10_000);
    expect(read(graph, speed).quality).toBe('Good');
    vi.advanceTimersByTime(501);
    expect(read(graph, speed)).toMatchObject({ quality: 'Bad_Stale', value: null, lastGood: { value: 1450 } });
    // Sources without maxAge stay Good however long they are silent.
    expect(read(graph, PUMP3_CURRENT).quality).toBe('Good');
    graph.ingest({ topic: speed, payload: 1460, timestamp: Date.now() });
    expect(read(graph, speed)).toMatchObject({ quality: 'Good', value: 1460 });
    graph.close();
  });

  it('a derived value whose engine answers asynchronously is a calculation error, not a promise', () => {
    const graph = createTwinGraph({
      definition: { twins: { t: { properties: { a: { source: { topic: 'a' } }, b: { derive: { expression: 'a', inputs: { a: 'a' } } } } } } },
      engine: { compile: () => ({ evaluate: async () => 1 }) },
    });
    graph.ingest({ topic: 'a', payload: 1, timestamp: 1 });
    expect(read(graph, 't/b')).toMatchObject({ quality: 'Bad_CalculationError', value: null });
    graph.close();
  });

  it('a message carrying a quality code is taken as the source reported it', () => {
    const graph = loadStation();
    graph.ingest({ topic: PUMP3_CURRENT, payload: { value: 9, quality: 'Uncertain_SensorNotAccurate' }, timestamp: Date.now() });
    expect(read(graph, 'plant1/line2/pump3/power')).toMatchObject({ quality: 'Uncertain_SensorNotAccurate', value: 6.24 });
    graph.ingest({ topic: PUMP3_CURRENT, payload: { value: 9, quality: 'Bad_SensorFailure' }, timestamp: Date.now() });
    expect(read(graph, 'plant1/line2/pump3/power')).toMatchObject({ quality: 'Bad_SensorFailure', value: null, causes: [{ path: PUMP3_CURRENT }] });
    graph.close();
  });
});

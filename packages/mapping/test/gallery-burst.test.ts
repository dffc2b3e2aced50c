// Every input → output example of gallery/02_data-processing/08_burst, on virtual time.
import { Subject, VirtualTimeScheduler, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it, vi } from 'vitest';
import type { Message } from '@iiot/core';
import { createMappingPipeline, type DeadLetter, type MappingEntry, type RuleSpec } from '../src/index.js';
import { entryOf, json, readmeBlock } from './fixtures/gallery.js';

const DIR = 'gallery/02_data-processing/08_burst';
const FILE = `${DIR}/service.scf.yaml`;

function marbles(resource: string, topic: string, source: string, values: Record<string, unknown>, expected: string, batches: Record<string, unknown[]>) {
  const testScheduler = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
  testScheduler.run(({ cold, expectObservable }) => {
    const pipeline = createMappingPipeline(entryOf(FILE, resource), { id: resource, scheduler: testScheduler });
    const messages = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { topic, payload: json(v), timestamp: 0 }]));
    expectObservable(cold(source, messages).pipe(pipeline, map((m) => m.payload))).toBe(expected, batches);
  });
}

/** Feeds messages at virtual times (ms) into a pipeline whose later rules are asynchronous. */
async function timed(entry: MappingEntry, inputs: readonly (readonly [number, string, unknown])[], until: number) {
  const scheduler = new VirtualTimeScheduler();
  const pipeline = createMappingPipeline(entry, { id: 'timed', scheduler });
  const outputs: [number, Message][] = [];
  const deadLetters: DeadLetter[] = [];
  pipeline.deadLetters.subscribe((d) => deadLetters.push(d));
  const source = new Subject<Message>();
  source.pipe(pipeline).subscribe((m) => outputs.push([scheduler.now(), m]));
  // Advance virtual time input by input, letting the asynchronous evaluations settle in between.
  for (const [at, topic, payload] of [...inputs, [until, '', undefined] as const]) {
    scheduler.maxFrames = at - 1;
    scheduler.flush();
    await new Promise((resolve) => setImmediate(resolve));
    scheduler.schedule(() => {
      if (topic) source.next({ topic, payload: json(payload), timestamp: at });
    }, at - scheduler.now());
  }
  scheduler.maxFrames = until;
  scheduler.flush();
  return { outputs, deadLetters, pipeline };
}

describe('gallery: burst', () => {
  const v = (value: number, timestamp: string) => ({ value, timestamp });

  it('example 1 (README step 1): maxSize 3 releases at the third message', () => {
    const a = v(23.1, '2025-10-29T10:00:00.100Z');
    const b = v(23.2, '2025-10-29T10:00:00.200Z');
    const c = v(23.3, '2025-10-29T10:00:00.300Z');
    marbles('burstBySize', 'sensors/temperature/rapid', 'a 99ms b 99ms c', { a, b, c }, '200ms x', { x: [a, b, c] });
  });

  it('example 2: interval 2000 from the first message; no empty batches afterwards', () => {
    const a = v(1013.2, '2025-10-29T10:00:00.000Z');
    const b = v(1013.1, '2025-10-29T10:00:00.500Z');
    marbles('burstByTime', 'sensors/pressure/sporadic', 'a 499ms b 9s -', { a, b }, '2000ms x', { x: [a, b] });
  });

  it('README step 2: three sporadic messages, then the interval restarts with the next batch', () => {
    const [a, b, c, d] = [1013.2, 1013.1, 1013.0, 1012.9].map((value) => ({ value }));
    marbles('burstByTime', 'sensors/pressure/sporadic', 'a 499ms b 699ms c 1299ms d', { a, b, c, d }, '2000ms x 2499ms y', {
      x: [a, b, c],
      y: [d],
    });
  });

  it('example 3 scenario A: five quick messages release at 400 ms', () => {
    const values = Object.fromEntries('abcde'.split('').map((k, i) => [k, v(45.1 + i / 10, `2025-10-29T10:00:00.${i}00Z`)]));
    marbles('burstByEither', 'sensors/humidity/variable', 'a 99ms b 99ms c 99ms d 99ms e', values, '400ms x', { x: Object.values(values) });
  });

  it('example 3 scenario B: two slow messages release at 3000 ms', () => {
    const a = v(44.8, '2025-10-29T10:00:00.000Z');
    const b = v(44.9, '2025-10-29T10:00:01.000Z');
    marbles('burstByEither', 'sensors/humidity/variable', 'a 999ms b', { a, b }, '3000ms x', { x: [a, b] });
  });

  it('example 4: batches of 10 by size and of 2 by time reach the transform, whose $max of ISO texts fails', async () => {
    const sensors = ['temperature', 'vibration', 'pressure'];
    const busy = Array.from({ length: 10 }, (_, i) => [i * 100, `factory/line-a/${sensors[i % 3]}/readings`, { value: i, sensor: sensors[i % 3], timestamp: `2025-10-29T10:00:00.${i}00Z` }] as const);
    const quiet = [
      [60_000, 'factory/line-a/temperature/readings', { value: 22.1, sensor: 'temp-01', timestamp: '2025-10-29T10:01:00.000Z' }],
      [62_000, 'factory/line-a/pressure/readings', { value: 0.1, sensor: 'press-01', timestamp: '2025-10-29T10:01:02.000Z' }],
    ] as const;
    const { outputs, deadLetters } = await timed(entryOf(FILE, 'manufacturingMonitoring'), [...busy, ...quiet], 70_000);
    await vi.waitFor(() => expect(deadLetters).toHaveLength(2));
    // time_span = $max($.timestamp) - … needs numbers; the readings carry ISO texts, so JSONata raises T0412.
    expect(outputs).toEqual([]);
    expect(deadLetters.map((d) => [(d.message.payload as unknown[]).length, d.rule?.type])).toEqual([
      [10, 'transform'],
      [2, 'transform'],
    ]);
    expect(deadLetters[0]!.error.message).toContain('T0412');
  });

  it('README step 4: burst + statistics over the batch', async () => {
    const { rules } = readmeBlock<{ rules: RuleSpec[] }>(`${DIR}/README.md`, 3);
    const readings = [v(22.1, ''), v(22.3, ''), v(22.0, '')].map((r, i) => ({ value: r.value, timestamp: 1730115600100 + i * 100 }));
    const { outputs } = await timed(
      { subscribe: { topic: 'sensors/t' }, rules },
      readings.map((r, i) => [i, 'sensors/t', r] as const),
      10_000,
    );
    await vi.waitFor(() => expect(outputs).toHaveLength(1));
    // `$.*.value` looks for `value` inside each field's value (numbers), so average, min, max and
    // time_span have no value and JSONata leaves them out; the README's figures would need `$.value`.
    expect(outputs[0]![1].payload).toEqual({ batch_stats: { count: 3 }, raw_readings: readings });
  });
});

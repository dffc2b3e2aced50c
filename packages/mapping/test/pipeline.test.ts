import { Subject, from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Message } from '@iiot/core';
import {
  type DeadLetter,
  type ExpressionEngine,
  type MappingEntry,
  type MappingPipelineOptions,
  createJsonataEngine,
  createMappingPipeline,
} from '../src/index.js';
import { json } from './fixtures/gallery.js';
import { syncEngine } from './fixtures/sync-engine.js';

const at = (topic: string, payload: unknown, timestamp = 0): Message => ({ topic, payload: json(payload), timestamp });

function harness(entry: MappingEntry, options: Partial<MappingPipelineOptions> = {}) {
  const pipeline = createMappingPipeline(entry, { id: 'test', ...options });
  const source = new Subject<Message>();
  const outputs: Message[] = [];
  const deadLetters: DeadLetter[] = [];
  pipeline.deadLetters.subscribe((d) => deadLetters.push(d));
  let completed = false;
  source.pipe(pipeline).subscribe({ next: (m) => outputs.push(m), complete: () => (completed = true) });
  return { pipeline, source, outputs, deadLetters, isComplete: () => completed };
}

/** The jsonata library, each evaluation resolving after a random delay, counting how many are in flight. */
function slowEngine(maxDelayMs: number) {
  const inner = createJsonataEngine();
  const stats = { inFlight: 0, maxInFlight: 0 };
  const engine: ExpressionEngine = {
    compile(expression) {
      const compiled = inner.compile(expression);
      return {
        async evaluate(input, bindings) {
          stats.inFlight++;
          stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * maxDelayMs));
          try {
            return await compiled.evaluate(input, bindings);
          } finally {
            stats.inFlight--;
          }
        },
      };
    },
  };
  return { engine, stats };
}

describe('createMappingPipeline', () => {
  it('keeps running after 10,000 malformed payloads and counts each one', async () => {
    const entry: MappingEntry = { subscribe: { topic: 'in/+id' }, publish: { topic: 'out/{id}' }, rules: [{ transform: { expression: '$number(value) * 2' } }] };
    const pipeline = createMappingPipeline(entry, { id: 'robust', maxQueued: 20_000 });
    const letters: DeadLetter[] = [];
    pipeline.deadLetters.subscribe((d) => letters.push(d));
    const inputs: Message[] = [];
    for (let i = 0; i < 10_000; i++) {
      inputs.push({ topic: `in/${i}`, payload: Buffer.from(`{"value": ${i}`), timestamp: i }); // not JSON
      if (i % 100 === 0) inputs.push(at(`in/${i}`, { value: `x${i}` }, i)); // JSON the expression fails on
    }
    inputs.push(at('in/last', { value: '21' }));
    const outputs = await lastValueFrom(from(inputs).pipe(pipeline, toArray()));
    expect(outputs.map((m) => [m.topic, m.payload])).toEqual([['out/last', 42]]);
    expect(pipeline.metrics()).toMatchObject({ in: 10_101, out: 1, errored: 10_100, shed: 0, rules: [{ type: 'transform', errored: 100 }] });
    expect(letters).toHaveLength(10_100);
    expect(letters[0]).toMatchObject({ mapping: 'robust', rule: undefined, error: { code: 'PAYLOAD_NOT_JSON' }, message: { topic: 'in/0' } });
    expect(letters[1]).toMatchObject({ rule: { index: 0, type: 'transform' }, error: { code: 'RULE_FAILED' }, message: { payload: { value: 'x0' } } });
  });

  it('keeps each mapping’s order with one evaluation in flight, however long evaluations take', async () => {
    const { engine, stats } = slowEngine(3);
    const entry: MappingEntry = { subscribe: { topic: 'n' }, rules: [{ transform: { expression: 'n' } }, { transform: { expression: '$ * 10' } }] };
    const pipeline = createMappingPipeline(entry, { id: 'order', engine });
    const inputs = Array.from({ length: 50 }, (_, n) => at('n', { n }));
    const outputs = await lastValueFrom(from(inputs).pipe(pipeline, toArray()));
    expect(outputs.map((m) => m.payload)).toEqual(inputs.map((_, n) => n * 10));
    expect(stats.maxInFlight).toBe(1);
  });

  it('sheds the oldest waiting messages beyond maxQueued, and counts them', async () => {
    const { engine } = slowEngine(2);
    const entry: MappingEntry = { subscribe: { topic: 'n' }, rules: [{ transform: { expression: 'n' } }] };
    const pipeline = createMappingPipeline(entry, { id: 'shed', engine, maxQueued: 3 });
    const outputs = await lastValueFrom(from(Array.from({ length: 10 }, (_, n) => at('n', { n }))).pipe(pipeline, toArray()));
    expect(outputs.map((m) => m.payload)).toEqual([0, 7, 8, 9]);
    expect(pipeline.metrics()).toMatchObject({ in: 10, out: 4, shed: 6, queued: 0 });
  });

  it('with drop-newest, sheds the arriving messages instead', async () => {
    const { engine } = slowEngine(2);
    const entry: MappingEntry = { subscribe: { topic: 'n' }, rules: [{ transform: { expression: 'n' } }] };
    const { pipeline, source, outputs, isComplete } = harness(entry, { engine, maxQueued: 3, overflow: 'drop-newest' });
    for (let n = 0; n < 10; n++) source.next(at('n', { n }));
    expect(pipeline.metrics()).toMatchObject({ in: 10, shed: 6, queued: 3 });
    source.complete();
    await expect.poll(isComplete).toBe(true);
    expect(outputs.map((m) => m.payload)).toEqual([0, 1, 2, 3]);
  });

  it('a synchronous engine releases each message before next() returns: no promise in the path', () => {
    const entry: MappingEntry = { subscribe: { topic: 'a/+x' }, publish: { topic: 'b/$x' }, rules: [{ transform: { expression: 'v + 1' } }] };
    const { source, outputs } = harness(entry, { engine: syncEngine });
    source.next(at('a/1', { v: 1 }));
    expect(outputs).toEqual([{ topic: 'b/1', payload: 2, timestamp: 0, vars: { x: '1' } }]);
  });

  it('$last() without a label is the payload the mapping released last', () => {
    const entry: MappingEntry = { subscribe: { topic: 't' }, rules: [{ transform: { expression: '{"v": v, "prev": $last().v}' } }] };
    const { source, outputs } = harness(entry, { engine: syncEngine });
    source.next(at('t', { v: 1 }));
    source.next(at('t', { v: 2 }));
    expect(outputs.map((m) => m.payload)).toEqual([{ v: 1 }, { v: 2, prev: 1 }]);
  });

  it('passes payload bytes through untouched when there are no rules, with publish qos and retain', () => {
    const bytes = Uint8Array.from([0, 255, 1]);
    const { source, outputs } = harness({ subscribe: { topic: 'raw/#rest' }, publish: { topic: 'copy/$rest', qos: 1, retain: true } });
    source.next({ topic: 'raw/a/b', payload: bytes, timestamp: 5, qos: 0 });
    expect(outputs).toEqual([{ topic: 'copy/a/b', payload: bytes, timestamp: 5, qos: 1, retain: true, vars: { rest: 'a/b' } }]);
  });

  it('a message on a topic no subscription matches is a dead letter', () => {
    const { source, outputs, deadLetters, pipeline } = harness({ subscribe: [{ topic: 'a/+' }, { topic: 'b' }] }, { engine: syncEngine });
    source.next(at('c', 1));
    expect(outputs).toEqual([]);
    expect(deadLetters[0]!.error).toMatchObject({ code: 'TOPIC_NOT_SUBSCRIBED', message: expect.stringContaining('a/+, b') });
    expect(pipeline.metrics().errored).toBe(1);
  });

  it('unsubscribing cancels a burst timer', async () => {
    const entry: MappingEntry = { subscribe: { topic: 't' }, rules: [{ burst: { interval: 5 } }] };
    const pipeline = createMappingPipeline(entry, { id: 'b' });
    const source = new Subject<Message>();
    const outputs: Message[] = [];
    const subscription = source.pipe(pipeline).subscribe((m) => outputs.push(m));
    source.next(at('t', 1));
    subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outputs).toEqual([]);
  });

  describe('rejects a wrong entry when it is created, saying where', () => {
    const make = (rules: unknown[], publish?: string) => () =>
      createMappingPipeline({ subscribe: { topic: 'a/+id' }, publish: { topic: publish }, rules: rules as MappingEntry['rules'] }, { id: 'svc/m0' });

    it.each([
      [[{ map: {} }], 'RULE_INVALID', 'rule 1: a rule is an object with exactly one of the keys'],
      [[{ transform: { expression: 'a', x: 1 }, filter: {} }], 'RULE_INVALID', 'got transform, filter'],
      [[{ filter: { expression: '$.a +' } }], 'EXPRESSION_INVALID', 'Rule 1 (filter): the expression does not compile'],
      [[{ stash: { label: 'x' } }, { setContextVars: { vars: { v: '(' } } }], 'EXPRESSION_INVALID', 'Rule 2 (setContextVars), variable "v"'],
      [[{ parse: { format: 'int24BE' } }], 'RULE_INVALID', 'use one of utf8, latin1, ascii, json'],
      [[{ burst: {} }], 'RULE_INVALID', 'needs interval'],
      [[{ cov: { key: 'a', deadbandMode: 'percent' } }], 'RULE_INVALID', 'use absolute or relative'],
    ])('%j → %s', (rules, code, text) => {
      expect(make(rules)).toThrow(expect.objectContaining({ code, message: expect.stringContaining(text) }));
    });

    it('a publish topic naming a variable nothing sets', () => {
      expect(make([], 'out/{machine}')).toThrow(expect.objectContaining({ code: 'PUBLISH_TOPIC_INVALID', message: expect.stringContaining('Available: id') }));
      expect(() => make([{ setContextVars: { vars: { machine: '"m"' } } }], 'out/{machine}/{id}')()).not.toThrow();
    });
  });
});

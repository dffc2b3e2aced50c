// One marble test (or more) per rule operator, on virtual time, with a synchronous JSONata engine.
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Message } from '@iiot/core';
import { burst, collect, cov, createStashStore, filter, parse, setContextVars, stash, transform } from '../src/index.js';
import { syncEngine as engine } from './fixtures/sync-engine.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const msg = (payload: unknown, topic = 't', vars?: Record<string, string>): Message => ({ topic, payload, timestamp: 0, ...(vars ? { vars } : {}) });
const payloads = map((m: Message) => m.payload);

describe('rule operators (marbles)', () => {
  it('transform replaces each payload, in order, and drops a result of nothing', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c|', { a: msg({ x: 1 }), b: msg({ y: 2 }), c: msg({ x: 3 }) });
      expectObservable(source.pipe(transform({ expression: 'x * 10', engine }), payloads)).toBe('a---c|', { a: 10, c: 30 });
    });
  });

  it('transform sees $context.topic, .vars and .timestamp', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a|', { a: { topic: 'm/7', payload: {}, timestamp: 42, vars: { id: '7' } } });
      const expression = '{"t": $context.topic, "id": $context.vars.id, "at": $context.timestamp}';
      expectObservable(source.pipe(transform({ expression, engine }), payloads)).toBe('a|', { a: { t: 'm/7', id: '7', at: 42 } });
    });
  });

  it('filter passes truthy results unchanged and drops the rest', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const values = { a: msg({ t: 90 }), b: msg({ t: 70 }), c: msg({ t: 95 }), d: msg({}) };
      expectObservable(cold('abcd|', values).pipe(filter({ expression: 't > 85', engine }))).toBe('a-c-|', values);
    });
  });

  it('a failing rule calls onError and the stream goes on', () => {
    const errors: string[] = [];
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('ab|', { a: msg({ n: 'x' }), b: msg({ n: 2 }) });
      const op = transform({ expression: 'n + 1', engine, onError: (e) => errors.push(`${e.code} ${e.message}`) });
      expectObservable(source.pipe(op, payloads)).toBe('-b|', { b: 3 });
    });
    expect(errors).toEqual([expect.stringMatching(/^RULE_FAILED The transform rule \(rule 1\) failed for a message on "t": .*T2001/)]);
  });

  it('parse decodes bytes per format', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('ab|', { a: msg(Uint8Array.from([0xff, 0xfe])), b: msg(Uint8Array.from([0x00, 0x01])) });
      expectObservable(source.pipe(parse({ format: 'int16LE' }), payloads)).toBe('ab|', { a: -257, b: 256 });
    });
  });

  it('setContextVars stores typed values, each seeing the ones before it', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a|', { a: msg({ n: 2 }) });
      const chain = source.pipe(
        setContextVars({ vars: { double: 'n * 2', label: '"x" & $string($context.vars.double)' }, engine }),
        transform({ expression: '$context.vars.double + 1 & "/" & $context.vars.label', engine }),
        payloads,
      );
      expectObservable(chain).toBe('a|', { a: '5/x4' });
    });
  });

  it('stash: $last(label) is the previous message’s value, before and after the stash rule', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const store = createStashStore();
      const source = cold('abc|', { a: msg({ v: 1 }), b: msg({ v: 2 }), c: msg({ v: 3 }) });
      const chain = source.pipe(
        transform({ expression: '{"v": v, "before": $last("s").v}', engine, store }),
        stash({ label: 's', store }),
        transform({ expression: '{"v": v, "before": before, "after": $last("s").v}', engine, store }),
        payloads,
      );
      expectObservable(chain).toBe('abc|', { a: { v: 1 }, b: { v: 2, before: 1, after: 1 }, c: { v: 3, before: 2, after: 2 } });
    });
  });

  it('cov passes the first value and changes beyond the deadband, per topic', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const values = {
        a: msg({ t: 22.0 }),
        b: msg({ t: 22.3 }),
        c: msg({ t: 21.0 }, 'other'),
        d: msg({ t: 22.6 }),
        e: msg({ t: 21.2 }, 'other'),
      };
      expectObservable(cold('abcde|', values).pipe(cov({ key: 't', deadband: 0.5 }))).toBe('a-cd-|', values);
    });
  });

  it('collect releases the cache of all sources on every message', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('abc|', { a: msg(1, 'x'), b: msg(2, 'y'), c: msg(3, 'x') });
      expectObservable(source.pipe(collect(), payloads)).toBe('abc|', { a: { x: 1 }, b: { x: 1, y: 2 }, c: { x: 3, y: 2 } });
    });
  });

  it('burst: the interval starts at the first message of a batch, and no empty batch is released', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 50ms b 200ms c 500ms -', { a: msg(1), b: msg(2), c: msg(3) });
      // a at 0, b at 51, c at 252: batches [a, b] at 100 and [c] at 352; nothing afterwards.
      expectObservable(source.pipe(burst({ interval: 100, scheduler: testScheduler }), payloads)).toBe('100ms x 251ms y', {
        x: [1, 2],
        y: [3],
      });
    });
  });

  it('burst: maxSize releases early and restarts the interval with the next message', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      // a0 b1 c2 d23 e50: [a, b] at 1 and [c, d] at 23 by size; e starts a new interval, released at 150.
      const source = cold('abc 20ms d 26ms e 200ms -', { a: msg(1), b: msg(2), c: msg(3), d: msg(4), e: msg(5) });
      expectObservable(source.pipe(burst({ interval: 100, maxSize: 2, scheduler: testScheduler }), payloads)).toBe(
        '-x 21ms y 126ms z',
        { x: [1, 2], y: [3, 4], z: [5] },
      );
    });
  });

  it('burst: what is held when the source completes is released then', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('ab|', { a: msg(1), b: msg(2) });
      expectObservable(source.pipe(burst({ interval: 1000, scheduler: testScheduler }), payloads)).toBe('--(x|)', { x: [1, 2] });
    });
  });
});

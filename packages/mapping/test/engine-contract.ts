// The contract every ExpressionEngine meets, so that another engine (a compiled one) can be checked the same
// way: describeExpressionEngine('my engine', engine).
import { describe, expect, it } from 'vitest';
import type { ExpressionEngine } from '../src/index.js';

const settle = async (value: unknown) => (value instanceof Promise ? await value : value);

export function describeExpressionEngine(name: string, engine: ExpressionEngine): void {
  describe(`ExpressionEngine contract: ${name}`, () => {
    const evaluate = (expression: string, input: unknown, bindings: Record<string, unknown> = {}) =>
      settle(engine.compile(expression).evaluate(input, bindings));

    it('evaluates against the payload as $', async () => {
      expect(await evaluate('{"t": $.a * 2, "n": $count(list)}', { a: 21, list: [1, 2] })).toEqual({ t: 42, n: 2 });
    });

    it('sees $context and calls $last with and without a label', async () => {
      const bindings = { context: { topic: 'a/b', vars: { id: '7' }, timestamp: 5 }, last: (label?: string) => (label ? { v: label } : 'released') };
      expect(await evaluate('[$context.topic, $context.vars.id, $context.timestamp, $last("x").v, $last()]', null, bindings)).toEqual([
        'a/b',
        '7',
        5,
        'x',
        'released',
      ]);
    });

    it('reaches bindings through $eval', async () => {
      expect(await evaluate('$eval("$context.topic")', {}, { context: { topic: 't' } })).toBe('t');
    });

    it('gives nothing (undefined) when nothing matches', async () => {
      expect(await evaluate('missing.field', { a: 1 })).toBeUndefined();
    });

    it('throws on a syntax error when compiling', () => {
      expect(() => engine.compile('$.a +')).toThrow();
    });

    it('fails the evaluation (throw or rejection) on a runtime error', async () => {
      await expect(async () => evaluate('"a" + 1', {})).rejects.toBeDefined();
    });

    it('returns either a value or a native Promise', () => {
      const result = engine.compile('1 + 1').evaluate({}, {});
      expect(result === 2 || result instanceof Promise).toBe(true);
    });
  });
}

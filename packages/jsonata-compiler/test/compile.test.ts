import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { type CompiledExpression, compile } from '../src/index.js';

function compiled(expression: string, options?: Parameters<typeof compile>[1]): CompiledExpression {
  const c = compile(expression, options);
  if (c.path !== 'compiled') throw new Error(`expected the compiled path: ${c.reason}`);
  return c;
}

describe('compile', () => {
  it('evaluates synchronously on the compiled path', () => {
    const c = compiled('{"deviceId": "TestDevice", "payload": $}');
    expect(c.evaluate({ t: 1 })).toEqual({ deviceId: 'TestDevice', payload: { t: 1 } });
  });

  it('throws syntax errors exactly as jsonata-js does', () => {
    const reference = (() => {
      try {
        jsonata('$.a +');
      } catch (err) {
        return err;
      }
    })();
    expect(() => compile('$.a +')).toThrow(expect.objectContaining({ code: (reference as { code: string }).code }));
  });

  it('throws run-time errors shaped like jsonata-js errors (code, position, token, message)', () => {
    expect(() => compiled('"a" + 1').evaluate({})).toThrow(
      expect.objectContaining({ code: 'T2001', token: '+', position: 5, message: expect.stringContaining('+') }),
    );
    expect(() => compiled('$uppercase(1)').evaluate({})).toThrow(
      expect.objectContaining({ code: 'T0410', token: 'uppercase' }),
    );
  });

  it('falls back to the interpreter on request, with a promise-returning evaluate', async () => {
    const c = compile('$sum(a)', { interpreter: true });
    expect(c.path).toBe('interpreter');
    expect(c.path === 'interpreter' && c.reason).toContain('requested');
    await expect(c.evaluate({ a: [1, 2] })).resolves.toBe(3);
  });

  it('falls back to the interpreter when a compile-time binding is an async function', async () => {
    const c = compile('$fetch(a)', { bindings: { fetch: async (x: number) => x * 2 } });
    expect(c.path).toBe('interpreter');
    await expect(c.evaluate({ a: 21 })).resolves.toBe(42);
  });

  it('sees compile-time bindings and per-call bindings, the latter winning', () => {
    const c = compiled('[$unit, $scale(value), $context.topic]', { bindings: { unit: 'C', scale: (v: number) => v / 10 } });
    expect(c.evaluate({ value: 215 }, { context: { topic: 't/1' } })).toEqual(['C', 21.5, 't/1']);
    expect(c.evaluate({ value: 215 }, { unit: 'F' })).toEqual(['F', 21.5]);
  });

  it('treats an array input as one value, like jsonata-js', () => {
    expect(compiled('$count($)').evaluate([1, 2, 3])).toBe(3);
    expect(compiled('$[1]').evaluate([1, 2, 3])).toBe(2);
  });

  it('returns one instant for $now() and $millis() within an evaluation', () => {
    const r = compiled('[$now(), $millis(), $now()]').evaluate(null) as [string, number, string];
    expect(r[0]).toBe(r[2]);
    expect(Date.parse(r[0])).toBe(r[1]);
    for (const options of [{}, { timeout: 1000 }]) {
      const before = Date.now();
      const ms = compiled('$millis()', options).evaluate(null) as number;
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(Date.now());
    }
  });

  it('prints default-picture timestamps exactly as the library does', async () => {
    const fromMillis = compiled('$fromMillis(ms)');
    const reference = jsonata('$fromMillis(ms)');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -1e14, max: 3e14 }), async (ms) => {
        expect(fromMillis.evaluate({ ms })).toBe(await reference.evaluate({ ms }));
      }),
      { numRuns: 300 },
    );
  });

  it('stops runaway recursion (D1011) and overlong evaluations (D1012)', () => {
    const recursion = compiled('($f := function($n) { $n + $f($n + 1) }; $f(0))', { maxDepth: 200 });
    expect(() => recursion.evaluate(null)).toThrow(expect.objectContaining({ code: 'D1011' }));
    const loop = compiled('($f := function($n) { $f($n + 1) }; $f(0))', { timeout: 50 });
    expect(() => loop.evaluate(null)).toThrow(expect.objectContaining({ code: 'D1012' }));
  });

  it('runs tail calls in constant stack depth', () => {
    const c = compiled('($count := function($n, $acc) { $n = 0 ? $acc : $count($n - 1, $acc + 1) }; $count(50000, 0))');
    expect(c.evaluate(null)).toBe(50000);
  });

  it('keeps the range guard rail (D2014)', () => {
    expect(() => compiled('[1..10000001]').evaluate(null)).toThrow(expect.objectContaining({ code: 'D2014' }));
  });

  it('works where code generation from strings is forbidden', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const fixture = fileURLToPath(new URL('./fixtures/no-codegen.mts', import.meta.url));
    const child = spawnSync(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--import', 'tsx', '--conditions=source', fixture],
      { cwd: root, encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      blocked: true,
      results: [{ sum: 3, doubled: [2, 4], at: '1970-01-01T00:00:00.000Z' }, 'a+b+c2', [2, 1]],
    });
  });
});

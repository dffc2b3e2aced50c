import { describe, expect, it } from 'vitest';
import { createSyncJsonataEngine, createTwinGraph, type PropertyReading, TwinConfigError, type TwinGraphDefinition } from '../src/index.js';

const engine = createSyncJsonataEngine();
const run = (expression: string, data: unknown, bindings?: Record<string, unknown>) => engine.compile(expression).evaluate(data, bindings);

function loadError(definition: TwinGraphDefinition): TwinConfigError {
  try {
    createTwinGraph({ definition });
  } catch (error) {
    expect(error).toBeInstanceOf(TwinConfigError);
    return error as TwinConfigError;
  }
  throw new Error('the definition loaded');
}

describe('the default engine (compiled JSONata)', () => {
  it('evaluates what derived properties use, synchronously', () => {
    expect(run('$round(current * 0.4 * 1.732, 2)', { current: 10 })).toBe(6.93);
    expect(run('$round(2.5) + $round(3.5)', {})).toBe(6);
    expect(run('power > 0.5 and temperature < 90', { power: 1, temperature: 80 })).toBe(true);
    expect(run('$sum([a, b, c]) / $count([a, b, c])', { a: 1, b: 2, c: 6 })).toBe(3);
    expect(run('missing + 1', {})).toBeUndefined();
    expect(run('$context.vars.line & "/" & $', 'x')).toBe('/x');
    expect(run('$context.vars.line', null, { context: { vars: { line: 'l2' } } })).toBe('l2');
  });

  it('runs the whole language, not only arithmetic: objects, predicates, string functions', () => {
    expect(run('{ "state": $uppercase(state), "hot": $count(t[$ > 80]) }', { state: 'run', t: [70, 85, 90] })).toEqual({ state: 'RUN', hot: 2 });
    expect([...(run('$map(t, function($v) { $v * 2 })', { t: [1, 2] }) as number[])]).toEqual([2, 4]);
  });

  it('throws the jsonata library’s error codes, which make a calculation error', () => {
    const code = (expression: string, data: unknown = {}) => {
      try {
        run(expression, data);
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(code('"a" + 1')).toBe('T2001');
    expect(code('$sqrt(-1)')).toBe('D3060');
    expect(code('$sum(x)', { x: 'a' })).toBe('T0412');

    const graph = createTwinGraph({
      definition: { twins: { t: { properties: { a: { source: { topic: 'a' } }, b: { derive: { expression: '$sqrt(a)', inputs: { a: 'a' } } } } } } },
    });
    graph.ingest({ topic: 'a', payload: 4, timestamp: 1 });
    expect(graph.read('t/b')).toMatchObject({ quality: 'Good', value: 2 });
    graph.ingest({ topic: 'a', payload: -1, timestamp: 2 });
    expect(graph.read('t/b') as PropertyReading).toMatchObject({ quality: 'Bad_CalculationError', value: null, lastGood: { value: 2 } });
    graph.close();
  });

  it('rejects at load time an expression that would run only on the interpreter, naming the property and the reason', () => {
    const error = loadError({
      twins: {
        t: {
          properties: {
            a: { source: { topic: 'a', value: '/on/ ?: state' } },
            b: { derive: { expression: '/x/ ?: a', inputs: { a: 'a' } } },
          },
        },
      },
    });
    expect(error.problems).toEqual([
      { code: 'TWIN_EXPRESSION_INVALID', at: 't/a.source.value', message: expect.stringContaining('a regex literal on the left of ?:') },
      { code: 'TWIN_EXPRESSION_INVALID', at: 't/b.derive.expression', message: expect.stringContaining('a regex literal on the left of ?:') },
    ]);
    expect(error.message).toMatch(/t\/b\.derive\.expression: .*asynchronous jsonata interpreter \(not compiled: a regex literal on the left of \?:\).*"\/x\/ \?: a"/);
  });

  it('rejects a syntax error at load time', () => {
    const error = loadError({ twins: { t: { properties: { b: { derive: { expression: 'a +', inputs: {} } } } } } });
    expect(error.problems).toEqual([{ code: 'TWIN_EXPRESSION_INVALID', at: 't/b.derive.expression', message: expect.stringContaining('"a +"') }]);
  });
});

// Runs every case of the official JSONata test suite through compile(), on whichever path it takes.
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { loadSuite, type SuiteCase } from './suite-cases.js';

const cases = loadSuite();
const paths = { compiled: 0, interpreter: 0, syntaxError: 0 };

/** Plain JSON form: drops the sequence flags and null prototypes the evaluator leaves on values. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value) ?? 'null');

async function run(c: SuiteCase): Promise<{ value?: unknown; error?: { code?: string; token?: string } }> {
  try {
    const expression = compile(c.expr, { timeout: c.timelimit ?? 0, maxDepth: c.depth ?? 0 });
    paths[expression.path]++;
    return { value: await expression.evaluate(c.data, c.bindings) };
  } catch (error) {
    if (typeof (error as { code?: string }).code === 'string' && /^S0[1-5]/.test((error as { code: string }).code)) {
      paths.syntaxError++;
    }
    return { error: error as { code?: string } };
  }
}

describe('official JSONata test suite', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { value, error } = await run(c);
    if (c.code !== undefined) {
      expect(error, 'an error').toBeDefined();
      // The upstream runner reports its own depth and time guard rails as U1001; here they are D1011/D1012.
      const accepted = c.code === 'U1001' ? ['D1011', 'D1012'] : [c.code];
      expect(accepted).toContain(error?.code);
      if (c.token !== undefined) expect(error?.token).toBe(c.token);
      return;
    }
    if (error) throw error;
    if (c.undefinedResult) {
      expect(value).toBeUndefined();
      return;
    }
    expect(value).toBeDefined();
    if (c.unordered && Array.isArray(value) && Array.isArray(c.result)) {
      const sorted = (list: unknown[]) => list.map((v) => JSON.stringify(v)).sort();
      expect(sorted(plain(value))).toEqual(sorted(c.result));
      return;
    }
    expect(isDeepStrictEqual(plain(value), c.result), JSON.stringify(value)).toBe(true);
  });

  afterAll(() => {
    const total = cases.length;
    const share = (100 * paths.compiled) / total;
    console.log(
      `official suite: ${total} cases, ${paths.compiled} compiled (${share.toFixed(1)}%), ` +
        `${paths.interpreter} on the interpreter, ${paths.syntaxError} syntax errors`,
    );
    expect(share).toBeGreaterThanOrEqual(90);
  });
});

// Every JSONata expression in the reference design's files (the seed and the gallery) takes the compiled path.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { compile } from '../src/index.js';
import { referencePath } from '@iiot/test-support';

const EXAMPLES = referencePath('examples/');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** Rule expressions: `expression` strings (transform, filter …) and the values of `setContextVars.vars`. */
function expressionsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) expressionsIn(item, found);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'expression' && typeof value === 'string') found.push(value);
      else if (key === 'setContextVars' && value && typeof value === 'object') {
        const vars = (value as { vars?: Record<string, unknown> }).vars ?? {};
        for (const v of Object.values(vars)) if (typeof v === 'string') found.push(v);
      } else expressionsIn(value, found);
    }
  }
  return found;
}

function parseError(expression: string): string | undefined {
  try {
    jsonata(expression);
    return undefined;
  } catch (err) {
    return (err as { code: string }).code;
  }
}

const rules = yamlFiles(EXAMPLES).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8'), { logLevel: 'silent' }).flatMap((doc) =>
    expressionsIn(doc.toJS({ maxAliasCount: -1 })).map((expression) => ({ file: file.slice(EXAMPLES.length), expression })),
  ),
);

describe('the reference design’s rules', () => {
  it('has rule expressions to check (seed and gallery)', () => {
    expect(rules.some((r) => r.file.startsWith('seed/'))).toBe(true);
    expect(rules.filter((r) => r.file.startsWith('gallery/')).length).toBeGreaterThan(20);
    expect(rules.filter((r) => parseError(r.expression) !== undefined)).toHaveLength(1);
  });

  it.each(rules.map((r) => [`${r.file}: ${r.expression.trim().split('\n')[0]!.slice(0, 60)}`, r.expression]))(
    'compiles %s',
    (_name, expression) => {
      const syntaxError = parseError(expression);
      if (syntaxError) {
        // The gallery holds one deliberately broken expression: it must fail exactly as jsonata-js fails.
        expect(() => compile(expression)).toThrow(expect.objectContaining({ code: syntaxError }));
        return;
      }
      const compiled = compile(expression);
      expect(compiled.path, compiled.path === 'interpreter' ? compiled.reason : '').toBe('compiled');
    },
  );
});

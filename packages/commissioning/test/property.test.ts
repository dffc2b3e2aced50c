import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommissioningError, parseCommissioning, validateCommissioning } from '../src/index.js';
import { referencePath } from '@iiot/test-support';

const examples = referencePath('examples/');
const invalid = fileURLToPath(new URL('./fixtures/invalid/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(f) ? [p] : [];
  });
}

const corpus = [...walk(join(examples, 'seed')), ...walk(join(examples, 'gallery')), ...walk(invalid).slice(0, 10)].map((f) =>
  readFileSync(f, 'utf8'),
);

// Characters that matter to YAML, tags, substitutions, topics and JSONata, so mutations hit the parser's edges.
const pieces = [' ', '  ', '\n', '\t', ':', '- ', '!ref ', '!sub ', '!x ', '&a ', '*a', '<<: ', '{', '}', '[', ']', '"', "'", '#', '+', '/', '$', '${', '|', '>', '?', ',', '__proto__', 'constructor', 'type: ', '::', '%', '@', '\\', '0', 'x'];
const snippet = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 6 }).map((p) => p.join(''));

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicateLine' | 'dropLine' | 'indentLine'; at: number }
  | { kind: 'swapLines'; at: number; with: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: snippet }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constantFrom('duplicateLine' as const, 'dropLine' as const, 'indentLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), at: fc.nat(), with: fc.nat() }),
);

function apply(text: string, m: Mutation): string {
  if (m.kind === 'insert' || m.kind === 'delete') {
    const at = m.at % (text.length + 1);
    return m.kind === 'insert' ? text.slice(0, at) + m.text + text.slice(at) : text.slice(0, at) + text.slice(at + m.length);
  }
  const lines = text.split('\n');
  const i = m.at % lines.length;
  if (m.kind === 'duplicateLine') lines.splice(i, 0, lines[i]!);
  else if (m.kind === 'dropLine') lines.splice(i, 1);
  else if (m.kind === 'indentLine') lines[i] = `  ${lines[i]}`;
  else if (m.kind === 'swapLines') {
    const j = m.with % lines.length;
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return lines.join('\n');
}

describe('mutated files', () => {
  it('only ever yield issues or a definition: no other exception, no hang', () => {
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), fc.array(mutation, { minLength: 1, maxLength: 5 }), (index, mutations) => {
        const text = mutations.reduce(apply, corpus[index]!);
        const started = performance.now();
        const { issues, definition } = validateCommissioning(text, { parameters: {} });
        expect(performance.now() - started).toBeLessThan(5000);
        expect(definition === undefined).toBe(issues.length > 0);
        for (const issue of issues) {
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.column).toBeGreaterThanOrEqual(1);
          expect(typeof issue.message).toBe('string');
        }
        try {
          parseCommissioning(text);
        } catch (error) {
          expect(error).toBeInstanceOf(CommissioningError);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CommissioningError, parseCommissioning, validateCommissioning } from '../src/index.js';

const dir = fileURLToPath(new URL('./fixtures/invalid/', import.meta.url));
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

// Each fixture starts with a comment saying what is wrong and ends with `# expect: CODE line:column` lines: the
// exact issues the file must produce, in order.
function expected(text: string): string[] {
  return [...text.matchAll(/^# expect: (\S+ \d+:\d+)$/gm)].map((m) => m[1]!);
}

describe('broken files', () => {
  it('has a corpus of at least 40 files, each with its expected issues', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    for (const f of fixtures) expect(expected(readFileSync(dir + f, 'utf8')), f).not.toEqual([]);
  });

  it.each(fixtures)('%s', (name) => {
    const text = readFileSync(dir + name, 'utf8');
    const { issues, definition } = validateCommissioning(text, { fileName: name });
    expect(definition).toBeUndefined();
    expect(issues.map((i) => `${i.code} ${i.line}:${i.column}`)).toEqual(expected(text));
    for (const issue of issues) {
      expect(issue.file).toBe(name);
      expect(issue.message.length).toBeGreaterThan(10);
    }
  });

  it('throws a CommissioningError carrying the same issues from parseCommissioning', () => {
    const text = readFileSync(`${dir}unknown-reference.yaml`, 'utf8');
    const error = (() => {
      try {
        parseCommissioning(text, { fileName: 'unknown-reference.yaml' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CommissioningError);
    const e = error as CommissioningError;
    expect(e.code).toBe('COMMISSIONING_INVALID');
    expect(e.issues).toEqual(validateCommissioning(text, { fileName: 'unknown-reference.yaml' }).issues);
    expect(e.message).toContain('unknown-reference.yaml:14:20 UNKNOWN_REFERENCE');
  });

  it.each([
    ['property-typo.yaml', 'did you mean keepalive?', 'resources.broker.properties.connection.keepAlive'],
    ['missing-resource-reference.yaml', 'did you mean broker?', 'resources.reading.properties.connection'],
    ['unknown-resource-type.yaml', 'did you mean Cybus::Connection?', 'resources.broker.type'],
    ['rule-name-typo.yaml', 'did you mean transform?', 'resources.map.properties.mappings[0].rules[0].transfrom'],
    ['bad-enum-scheme.yaml', 'did you mean mqtt?', 'resources.broker.properties.connection.scheme'],
    ['unknown-top-level-key.yaml', 'did you mean resources?', 'resource'],
  ])('%s hints "%s" at %s', (name, hint, path) => {
    const [issue] = validateCommissioning(readFileSync(dir + name, 'utf8')).issues;
    expect(issue?.hint).toBe(hint);
    expect(issue?.path).toBe(path);
  });

  it('lists the registered protocols when one is unknown', () => {
    const [issue] = validateCommissioning(readFileSync(`${dir}unknown-protocol.yaml`, 'utf8')).issues;
    expect(issue?.message).toContain('registered protocols: Mqtt, Opcua');
  });
});

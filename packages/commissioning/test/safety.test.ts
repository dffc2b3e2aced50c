import { describe, expect, it } from 'vitest';
import { validateCommissioning } from '../src/index.js';

const head = 'metadata:\n  name: Safety\n';

describe('hostile input', () => {
  it('refuses an alias bomb quickly, without expanding it', () => {
    let defs = 'definitions:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i <= 9; i++) defs += `  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
    const text = `${head}${defs}resources:\n  x:\n    type: Cybus::Link\n    properties:\n      bomb: !ref l9\n`;
    // CPU time, not wall time: the machine running the tests may be busy with other work.
    const started = process.cpuUsage();
    const { issues } = validateCommissioning(text);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
    expect(issues.map((i) => i.code)).toEqual(['ALIAS_LIMIT']);
  });

  it('accepts a few ordinary aliases', () => {
    const text = `${head}definitions:\n  base: &base { host: localhost }\nresources:\n  a:\n    type: Cybus::Connection\n    properties:\n      protocol: Mqtt\n      connection: *base\n`;
    expect(validateCommissioning(text).issues).toEqual([]);
  });

  it('refuses a document above the size limit before parsing it', () => {
    const text = `${head}description: ${'x'.repeat(5000)}\n`;
    expect(validateCommissioning(text, { maxBytes: 1000 }).issues.map((i) => i.code)).toEqual(['DOCUMENT_TOO_LARGE']);
  });

  it('turns absurd nesting into an issue rather than an exception', () => {
    for (const depth of [150, 20000]) {
      const text = `${head}definitions:\n  deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      const { issues } = validateCommissioning(text);
      expect(issues.length).toBeGreaterThan(0);
      expect(['DOCUMENT_TOO_LARGE', 'YAML_SYNTAX']).toContain(issues[0]!.code);
    }
  });

  it('cannot pollute prototypes through __proto__ or constructor keys', () => {
    const text = `${head}parameters:\n  __proto__:\n    type: string\n    default: x\ndefinitions:\n  constructor: { polluted: true }\nresources:\n  x:\n    type: Cybus::Link\n    properties:\n      __proto__: { polluted: true }\n      ctor: !ref constructor\n      str: !ref toString\n`;
    const { issues } = validateCommissioning(text);
    expect(issues.map((i) => i.code)).toEqual(['FORBIDDEN_KEY', 'FORBIDDEN_KEY', 'UNKNOWN_REFERENCE']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('reports an unknown tag as an issue, never as an exception', () => {
    const text = `${head}resources: !!binary aGVsbG8=\ndefinitions:\n  a: !<tag:example.com,2020:x> 1\n`;
    const { issues } = validateCommissioning(text);
    expect(issues.map((i) => i.code)).toContain('UNKNOWN_TAG');
  });
});

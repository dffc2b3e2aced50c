import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const seed = join(import.meta.dirname, '../../../examples/aws-iot-bridge/aws-iot-core.yaml');
const invalidDir = join(import.meta.dirname, '../../commissioning/test/fixtures/invalid');

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('iiot validate', () => {
  it.runIf(existsSync(seed))('accepts the seed file', async () => {
    const result = await cli('validate', seed);
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toContain('valid (service awsiotcoretest');
  });

  const invalid = existsSync(invalidDir) ? readdirSync(invalidDir).filter((f) => f.endsWith('.yaml')) : [];
  it.each(invalid)('prints file:line:col: code: message for %s', async (name) => {
    const file = join(invalidDir, name);
    const result = await cli('validate', file);
    expect(result.code).toBe(1);
    const issues = result.err.split('\n').filter((l) => l.startsWith(file));
    expect(issues.length).toBeGreaterThan(1);
    for (const line of issues.slice(0, -1)) expect(line).toMatch(/^.+:\d+:\d+: [A-Z_]+: \S/);
  });

  it('names a missing parameter', async () => {
    const result = await cli('validate', fixture('needs-parameter.yaml'));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/needs-parameter\.yaml:\d+:\d+: [A-Z_]+: .*targetHost/);
  });

  it('takes parameters from the command line and from files', async () => {
    expect((await cli('validate', fixture('needs-parameter.yaml'), '--param', 'targetHost=example.org')).code).toBe(0);
    expect((await cli('validate', fixture('needs-parameter.yaml'), '-p', `targetHost=@${fixture('host.txt')}`)).err).toMatch(/cannot read/);
  });
});

describe('iiot plan and schema', () => {
  it('shows routes with their topic templates and the broker users', async () => {
    const result = await cli('plan', fixture('local-echo.yaml'), '--param', 'prefix=out');
    expect(result.code).toBe(0);
    expect(result.out).toContain('echo[0]: services/localecho/in/+name -> [transform] -> services/localecho/out/$name');
    expect(result.out).toContain('localecho: readWrite services/localecho/#');
  });

  it('prints the commissioning JSON Schema', async () => {
    const result = await cli('schema');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toHaveProperty('properties.resources');
  });

  it('explains wrong usage', async () => {
    expect(await cli('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command') });
    expect(await cli('run', 'x.yaml', '--broker-port', '1', '--broker', 'mqtt://h')).toMatchObject({ code: 2 });
  });
});

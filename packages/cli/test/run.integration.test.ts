import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../connectors-opcua/test/fixtures/opcua-server.js';

const bin = join(import.meta.dirname, '../src/bin.ts');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

function iiot(args: string[]) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = stderr.match(pattern);
        if (m) resolve(m);
      };
      child.stderr.on('data', check);
      exited.then(() => reject(new Error(`iiot exited before printing ${pattern}:\n${stderr}`)));
    });
  return { child, exited, line, stderr: () => stderr };
}

describe('iiot run', () => {
  let dataDir: string | undefined;
  let running: ChildProcess | undefined;
  afterEach(() => {
    running?.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a file until SIGTERM, then exits cleanly', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'iiot-cli-'));
    const run = iiot(['run', fixture('local-echo.yaml'), '--param', 'prefix=out', '--broker-port', '0', '--http-port', '0', '--data-dir', dataDir]);
    running = run.child;
    const [, url] = await run.line(/broker (mqtt:\/\/\S+), status/);
    const client = await mqtt.connectAsync(url!, { reconnectPeriod: 0 });
    await client.subscribeAsync('services/localecho/out/#');
    const got = new Promise<string>((resolve) => client.once('message', (topic, payload) => resolve(`${topic} ${payload}`)));
    await client.publishAsync('services/localecho/in/temp', '21');
    expect(await got).toBe('services/localecho/out/temp {"value":21}');
    await client.endAsync();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('SIGTERM received, shutting down');
  });

  it('runs an Opcua file: the OPC UA connector is built in', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'iiot-cli-'));
    const server = await startTestServer();
    try {
      const file = join(import.meta.dirname, '../../runtime/test/fixtures/opcua.yaml');
      const run = iiot(['run', file, '--param', `opcuaPort=${server.port}`, '--broker-port', '0', '--http-port', '0', '--data-dir', dataDir]);
      running = run.child;
      const [, url] = await run.line(/broker (mqtt:\/\/\S+), status/);
      const client = await mqtt.connectAsync(url!, { reconnectPeriod: 0 });
      const got = new Promise<unknown>((resolve) => client.once('message', (_topic, payload) => resolve(JSON.parse(payload.toString()))));
      await client.subscribeAsync('services/opcuamachine/machine/temperature');
      expect(await got).toMatchObject({ value: 20.5, statusCode: 'Good' });
      await client.endAsync();
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('exits non-zero naming a missing parameter', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'iiot-cli-'));
    const run = iiot(['run', fixture('needs-parameter.yaml'), '--broker-port', '0', '--http-port', '0', '--data-dir', dataDir]);
    running = run.child;
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/needs-parameter\.yaml:\d+:\d+: [A-Z_]+: .*targetHost/);
  });
});

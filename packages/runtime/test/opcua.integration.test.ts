import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../connectors-opcua/test/fixtures/opcua-server.js';
import { createRuntime, type Runtime } from '../src/index.js';
import { collect, settled } from './helpers.js';

describe('Opcua endpoints through the embedded broker', () => {
  let dataDir: string;
  let server: TestServer;
  let runtime: Runtime;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'iiot-runtime-opcua-'));
    server = await startTestServer();
    runtime = await createRuntime({ dataDir, broker: { port: 0 }, http: false, logger: { level: 'silent' } });
    await runtime.install(join(import.meta.dirname, 'fixtures', 'opcua.yaml'), { parameters: { opcuaPort: server.port } });
    await runtime.enable('opcuamachine');
    await settled(runtime);
  });
  afterAll(async () => {
    await runtime?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its PKI under the data directory', () => {
    expect(existsSync(join(dataDir, 'pki', 'opcua'))).toBe(true);
  });

  it('publishes subscribed values as data messages with their quality, unwrapped', async () => {
    const data = await collect(runtime.brokerUrl, 'services/opcuamachine/machine/temperature');
    server.set('Temperature', 42.5);
    const payloads = () => data.messages.map((m) => JSON.parse(m.payload) as Record<string, unknown>);
    while (!payloads().some((p) => p.value === 42.5)) await data.until(data.messages.length + 1, 10_000);
    const latest = payloads().find((p) => p.value === 42.5);
    expect(latest).toEqual({ timestamp: expect.any(Number), value: 42.5, statusCode: 'Good', sourceTimestamp: expect.any(Number) });
    await data.client.endAsync();
  });

  it('answers a read on <topic>/req and a write on <topic>/set on <topic>/res', async () => {
    const write = await collect(runtime.brokerUrl, 'services/opcuamachine/machine/setpoint-write/res');
    await write.client.publishAsync('services/opcuamachine/machine/setpoint-write/set', JSON.stringify({ id: 'w1', value: 23.5 }));
    await write.until(1, 10_000);
    expect(JSON.parse(write.messages[0]!.payload)).toEqual({ id: 'w1', timestamp: expect.any(Number), result: 'Good' });

    const read = await collect(runtime.brokerUrl, 'services/opcuamachine/machine/setpoint/res');
    await read.client.publishAsync('services/opcuamachine/machine/setpoint/req', JSON.stringify({ id: 'r1' }));
    await read.until(1, 10_000);
    expect(JSON.parse(read.messages[0]!.payload)).toEqual({ id: 'r1', timestamp: expect.any(Number), value: 23.5 });
    await Promise.all([write.client.endAsync(), read.client.endAsync()]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsIotEmulator, createTestPki, startAwsIotEmulator } from '@iiot/aws-transport/emulator';
import { createRuntime, type Runtime } from '@iiot/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../packages/connectors-opcua/test/fixtures/opcua-server.js';

let machine: TestServer;
let cloud: AwsIotEmulator;
let runtime: Runtime;
let dataDir: string;
const arrived: { topic: string; payload: Record<string, unknown> }[] = [];

beforeAll(async () => {
  machine = await startTestServer();
  const pki = createTestPki({ serverNames: ['127.0.0.1'] });
  cloud = await startAwsIotEmulator({ ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, alpnPort: false });
  cloud.onPublish((topic, payload) => arrived.push({ topic, payload: JSON.parse(payload.toString('utf8')) }));
  dataDir = mkdtempSync(join(tmpdir(), 'iiot-opcua-to-aws-'));
  runtime = await createRuntime({ dataDir, broker: { port: 0 }, http: false, awsIotHosts: [cloud.host], logger: { level: 'silent' } });
  await runtime.install(join(import.meta.dirname, '..', 'opcua-to-aws.yaml'), {
    parameters: { opcuaHost: '127.0.0.1', opcuaPort: machine.port, Aws_IoT_Endpoint_Address: cloud.host, Aws_IoT_Port: cloud.port },
    definitions: { caCert: pki.ca.cert, clientCert: pki.client.cert, clientPrivateKey: pki.client.key },
  });
  await runtime.enable('opcuatoaws');
});

afterAll(async () => {
  await runtime?.close();
  await cloud?.close();
  await machine?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; arrived in the cloud: ${JSON.stringify(arrived)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('forwards the machine temperature, transformed and with its quality, to AWS IoT', async () => {
  await until(() => arrived.length > 0);
  machine.set('Temperature', 73.25);
  await until(() => arrived.some((m) => m.payload.celsius === 73.25));
  expect(arrived.find((m) => m.payload.celsius === 73.25)).toEqual({
    topic: 'machines/press7/temperature',
    payload: { machineId: 'press7', celsius: 73.25, quality: 'Good', sampledAt: expect.any(Number) },
  });
});

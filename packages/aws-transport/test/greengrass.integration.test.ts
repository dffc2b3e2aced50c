import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGreengrassTransport, discoverGreengrass, greengrassEndpoints, GreengrassError } from '../src/index.js';
import { type AwsIotEmulator, createAuthority, startAwsIotEmulator } from '../src/emulator/index.js';
import { recordedAnswer, startDiscoveryServer } from './fixtures/discovery-server.js';
import { testPki } from './fixtures/stand-in.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Greengrass discovery', () => {
  const pki = testPki();
  const groupCa = createAuthority('Greengrass group CA');
  let core: AwsIotEmulator;
  let deadPort: number;

  beforeAll(async () => {
    // The core's broker certificate is signed by the group CA; it trusts device certificates of the account CA.
    const coreCert = groupCa.issueServer({ names: ['127.0.0.1'] });
    core = await startAwsIotEmulator({ ca: pki.ca.cert, cert: coreCert.cert, key: coreCert.key, alpnPort: false });
    deadPort = await closedPort();
  });
  afterAll(() => core.close());

  const discoveryOptions = (port: number, thingName = 'press-line-4') => ({
    thingName,
    host: '127.0.0.1',
    port,
    ca: pki.ca.cert,
  });

  it('parses a PascalCase answer, authenticating with the device certificate', async () => {
    const server = await startDiscoveryServer(() => ({ status: 200, body: recordedAnswer(groupCa.cert, [{ host: '127.0.0.1', port: 8883 }]) }));
    try {
      const groups = await discoverGreengrass({ ...discoveryOptions(server.port), cert: pki.client.cert, key: pki.client.key });
      expect(groups[0]).toMatchObject({
        groupId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        cores: [{ thingArn: expect.stringContaining('thing/line-core'), connectivity: [{ hostAddress: '127.0.0.1', portNumber: 8883 }] }],
        cas: [groupCa.cert],
      });
      expect(greengrassEndpoints(groups)).toEqual([
        expect.objectContaining({ host: '127.0.0.1', port: 8883, ca: [groupCa.cert] }),
      ]);
      expect(server.seen).toEqual([{ thing: 'press-line-4', clientCn: 'iiot-test-client' }]);
    } finally {
      await server.close();
    }
  });

  it('turns 403 and 404 into typed errors that say what to do', async () => {
    const server = await startDiscoveryServer((thing) =>
      thing === 'forbidden'
        ? { status: 403, body: { message: 'Not authorized' } }
        : { status: 404, body: { message: 'Thing not found' } },
    );
    try {
      const creds = { cert: pki.client.cert, key: pki.client.key };
      const forbidden = discoverGreengrass({ ...discoveryOptions(server.port, 'forbidden'), ...creds });
      await expect(forbidden).rejects.toBeInstanceOf(GreengrassError);
      await expect(forbidden).rejects.toMatchObject({ code: 'GREENGRASS_FORBIDDEN', retryable: false, message: expect.stringContaining('greengrass:Discover') });
      await expect(discoverGreengrass({ ...discoveryOptions(server.port, 'ghost'), ...creds })).rejects.toMatchObject({
        code: 'GREENGRASS_THING_NOT_FOUND',
        message: expect.stringContaining('ghost'),
      });
    } finally {
      await server.close();
    }
  });

  it('tries each connectivity entry in order and connects with the group CA as trust root', async () => {
    const server = await startDiscoveryServer(() => ({
      status: 200,
      body: recordedAnswer(groupCa.cert, [
        { host: '127.0.0.1', port: deadPort },
        { host: '127.0.0.1', port: core.port },
      ]),
    }));
    const arrived: (string | undefined)[] = [];
    const off = core.onPublish((_topic, _payload, clientId) => arrived.push(clientId));
    const transport = createGreengrassTransport({
      discovery: discoveryOptions(server.port),
      cert: pki.client.cert,
      key: pki.client.key,
      reconnectPeriodMs: 50,
      connectTimeoutMs: 2000,
    });
    try {
      await transport.publish({ topic: 'line/4/temp', payload: { t: 21.5 }, timestamp: 0 });
      expect(arrived).toEqual(['press-line-4']);
      expect(server.seen).toHaveLength(1);
    } finally {
      off();
      await transport.close();
      await server.close();
    }
  });

  it('discovers again after repeated connection failures', async () => {
    const server = await startDiscoveryServer((_thing, n) => ({
      status: 200,
      // The first answer would reach the core only at its third entry; after two failures discovery runs again.
      body: recordedAnswer(
        groupCa.cert,
        n === 1 ? [deadPort, deadPort, core.port].map((port) => ({ host: '127.0.0.1', port })) : [{ host: '127.0.0.1', port: core.port }],
      ),
    }));
    const transport = createGreengrassTransport({
      discovery: discoveryOptions(server.port),
      cert: pki.client.cert,
      key: pki.client.key,
      reconnectPeriodMs: 50,
      failuresBeforeRediscovery: 2,
    });
    try {
      await transport.publish({ topic: 'line/4/pressure', payload: 2, timestamp: 0 });
      expect(server.seen).toHaveLength(2);
    } finally {
      await transport.close();
      await server.close();
    }
  });
});

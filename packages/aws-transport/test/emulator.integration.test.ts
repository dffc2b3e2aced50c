import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsIotEmulator, createAuthority } from '../src/emulator/index.js';
import { closed, rawClient, startStandIn, until } from './fixtures/stand-in.js';

describe('AWS IoT stand-in', () => {
  let emulator: AwsIotEmulator;
  const clients: MqttClient[] = [];
  const connect: typeof rawClient = async (port, options) => {
    const client = await rawClient(port, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    emulator = await startStandIn();
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await emulator.close();
  });

  it('says it is a test double', () => {
    expect(emulator.description).toMatch(/test double/);
    expect(emulator.description).toMatch(/not AWS/);
  });

  it('refuses a connection without a client certificate or with one from another CA', async () => {
    const before = emulator.stats().refusedHandshakes;
    await expect(rawClient(emulator.port, { cert: undefined, key: undefined })).rejects.toThrow();
    const stranger = createAuthority('Stranger CA').issueClient();
    await expect(rawClient(emulator.port, { cert: stranger.cert, key: stranger.key })).rejects.toThrow();
    expect(emulator.stats().refusedHandshakes).toBe(before + 2);
  });

  it('accepts ALPN x-amzn-mqtt-ca on its second port and refuses connections without it', async () => {
    const client = await connect(emulator.alpnPort!, { ALPNProtocols: ['x-amzn-mqtt-ca'] });
    expect(client.connected).toBe(true);
    await expect(rawClient(emulator.alpnPort!)).rejects.toThrow();
  });

  it.each([
    ['a QoS 2 publish', 'closedForQos2', 'plant/a', Buffer.from('x'), 2],
    ['an oversize payload', 'closedForPayload', 'plant/a', Buffer.alloc(131_073), 1],
    ['a topic with 8 slashes', 'closedForTopic', 'a/b/c/d/e/f/g/h/i', Buffer.from('x'), 1],
    ['a reserved $ topic', 'closedForTopic', '$SYS/x', Buffer.from('x'), 1],
  ] as const)('closes the connection on %s', async (_name, counter, topic, payload, qos) => {
    const client = await connect(emulator.port);
    const before = emulator.stats()[counter];
    const gone = closed(client);
    client.publish(topic, payload, { qos });
    await gone;
    expect(emulator.stats()[counter]).toBe(before + 1);
  });

  it('disconnects the older of two connections with the same client id', async () => {
    const before = emulator.stats().takeovers;
    const first = await connect(emulator.port, { clientId: 'twin' });
    const gone = closed(first);
    await connect(emulator.port, { clientId: 'twin' });
    await gone;
    expect(emulator.stats().takeovers).toBe(before + 1);
  });

  it('acknowledges but drops publishes beyond the configured rate, and counts them', async () => {
    const client = await connect(emulator.port, { clientId: 'flood' });
    const arrived: string[] = [];
    const off = emulator.onPublish((topic, _payload, id) => id === 'flood' && arrived.push(topic));
    const before = emulator.stats().dropped;
    await Promise.all(
      Array.from({ length: 400 }, (_, i) => client.publishAsync(`flood/${i}`, 'x', { qos: 1 })),
    );
    off();
    const dropped = emulator.stats().dropped - before;
    expect(dropped + arrived.length).toBe(400);
    expect(arrived.length).toBeGreaterThanOrEqual(100);
    expect(arrived.length).toBeLessThan(200);
  });

  it('answers shadow requests with versions, accepted, rejected and delta documents', async () => {
    const client = await connect(emulator.port);
    const base = '$aws/things/pump-7/shadow/name/config';
    const inbox = new Map<string, Record<string, unknown>[]>();
    client.on('message', (topic, payload) => inbox.set(topic, [...(inbox.get(topic) ?? []), JSON.parse(payload.toString())]));
    await client.subscribeAsync(`${base}/#`, { qos: 1 });

    client.publish(`${base}/get`, JSON.stringify({ clientToken: 'g1' }));
    await until(() => inbox.has(`${base}/get/rejected`));
    expect(inbox.get(`${base}/get/rejected`)![0]).toMatchObject({ code: 404, clientToken: 'g1' });

    client.publish(`${base}/update`, JSON.stringify({ state: { reported: { speed: 10 } }, clientToken: 'u1' }));
    await until(() => inbox.has(`${base}/update/accepted`));
    expect(inbox.get(`${base}/update/accepted`)![0]).toMatchObject({ version: 1, clientToken: 'u1' });

    client.publish(`${base}/update`, JSON.stringify({ state: { desired: { speed: 20 } }, clientToken: 'u2' }));
    await until(() => inbox.has(`${base}/update/delta`));
    expect(inbox.get(`${base}/update/delta`)![0]).toMatchObject({ version: 2, state: { speed: 20 } });
    expect(inbox.get(`${base}/update/documents`)![1]).toMatchObject({
      previous: { version: 1 },
      current: { version: 2, state: { desired: { speed: 20 }, reported: { speed: 10 } } },
    });

    client.publish(`${base}/update`, JSON.stringify({ state: { reported: { speed: 20 } }, version: 1, clientToken: 'u3' }));
    await until(() => inbox.has(`${base}/update/rejected`));
    expect(inbox.get(`${base}/update/rejected`)![0]).toMatchObject({ code: 409, clientToken: 'u3' });
  });
});

import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessControl, createAccessControl } from '../src/index.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../src/broker/embedded-broker.js';

const log = pino({ level: 'silent' });

function connect(url: string, auth: { username?: string; password?: string } = {}) {
  return mqtt.connectAsync(url, { ...auth, reconnectPeriod: 0, connectTimeout: 3000 });
}

describe('embedded broker', () => {
  let access: AccessControl;
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    access = createAccessControl();
    access.setServiceUsers('svc', [
      { username: 'viewer', password: 'viewer-pw', permissions: [{ resource: 'services/svc/#', operation: 'read' }] },
      { username: 'svc', password: 'svc-pw', permissions: [{ resource: 'services/svc/#', operation: 'readWrite' }] },
    ]);
    broker = await startEmbeddedBroker({ port: 0 }, access, log);
  });
  afterAll(() => broker.close());

  it('listens on loopback and refers to itself by URL', () => {
    expect(broker.host).toBe('127.0.0.1');
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
  });

  it('refuses a wrong password', async () => {
    await expect(connect(broker.url, { username: 'viewer', password: 'nope' })).rejects.toThrow(/Bad username or password/);
  });

  it('lets a read-only user subscribe but not publish', async () => {
    const viewer = await connect(broker.url, { username: 'viewer', password: 'viewer-pw' });
    const writer = await connect(broker.url, { username: 'svc', password: 'svc-pw' });
    const received: string[] = [];
    viewer.on('message', (topic, payload) => received.push(`${topic}=${payload}`));
    const granted = await viewer.subscribeAsync('services/svc/#', { qos: 1 });
    expect(granted[0]?.qos).toBe(1);
    // Refused with SUBACK 128; the client stays connected.
    await expect(viewer.subscribeAsync('other/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(viewer.connected).toBe(true);

    // The viewer's own publish must never reach a subscriber; the broker closes its connection.
    const closed = new Promise<void>((resolve) => viewer.once('close', () => resolve()));
    viewer.publish('services/svc/test/a', 'from-viewer', { qos: 1 });
    await closed;
    const reader = await connect(broker.url, { username: 'viewer', password: 'viewer-pw' });
    const got = new Promise<string>((resolve) => reader.on('message', (t, p) => resolve(`${t}=${p}`)));
    await reader.subscribeAsync('services/svc/#', { qos: 1 });
    await writer.publishAsync('services/svc/test/a', 'from-service', { qos: 1 });
    expect(await got).toBe('services/svc/test/a=from-service');
    expect(received).not.toContain('services/svc/test/a=from-viewer');
    await Promise.all([viewer.endAsync(true), writer.endAsync(), reader.endAsync()]);
  });

  it('refuses to listen beyond loopback without authentication', async () => {
    await expect(startEmbeddedBroker({ host: '0.0.0.0', port: 0, allowAnonymous: true }, access, log)).rejects.toMatchObject({
      code: 'BROKER_INSECURE',
    });
  });

  it('requires authentication when listening beyond loopback', async () => {
    const open = await startEmbeddedBroker({ host: '0.0.0.0', port: 0 }, access, log);
    try {
      await expect(connect(`mqtt://127.0.0.1:${open.port}`)).rejects.toThrow(/Bad username or password/);
      const ok = await connect(`mqtt://127.0.0.1:${open.port}`, { username: 'svc', password: 'svc-pw' });
      await ok.endAsync();
    } finally {
      await open.close();
    }
  });
});

import { type MosquittoHandle, mosquittoAvailable, startMosquitto } from '@iiot/test-support';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsIotTransport, createAwsIotTransport } from '../src/index.js';
import { rawClient, testPki, until } from './fixtures/stand-in.js';

// Mosquitto with TLS client certificates: an independent broker for the plain 8883-style path.
describe.runIf(mosquittoAvailable())('createAwsIotTransport against Mosquitto with client certificates', () => {
  const pki = testPki();
  let broker: MosquittoHandle;
  let watcher: MqttClient;
  const received: { topic: string; payload: string }[] = [];
  const transports: AwsIotTransport[] = [];
  const open = (clientId: string, port = broker.port, protocolVersion: 4 | 5 = 4) => {
    const t = createAwsIotTransport({
      protocolVersion,
      host: '127.0.0.1',
      port,
      clientId,
      cert: pki.client.cert,
      key: pki.client.key,
      ca: pki.ca.cert,
      reconnectPeriodMs: 200,
    });
    transports.push(t);
    return t;
  };

  beforeAll(async () => {
    broker = await startMosquitto({
      tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, requireCertificate: true },
    });
    watcher = await rawClient(broker.port, { clientId: 'watcher', reconnectPeriod: 200 });
    watcher.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
    await watcher.subscribeAsync('#', { qos: 1 });
  });
  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()));
    watcher?.end(true);
    await broker?.close();
  });

  it('refuses a connection without a client certificate', async () => {
    await expect(rawClient(broker.port, { cert: undefined, key: undefined })).rejects.toThrow();
  });

  it('delivers a stream in order over mutual TLS', async () => {
    const transport = open('gw-mosq-1');
    await Promise.all(Array.from({ length: 50 }, (_, i) => transport.publish({ topic: 'm/stream', payload: { i }, timestamp: 0 })));
    await until(() => received.filter((r) => r.topic === 'm/stream').length === 50);
    expect(received.filter((r) => r.topic === 'm/stream').map((r) => JSON.parse(r.payload).i)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('speaks MQTT 5 as well', async () => {
    const transport = open('gw-mosq-v5', broker.port, 5);
    await transport.publish({ topic: 'm/v5', payload: 'five', timestamp: 0 });
    await until(() => received.some((r) => r.topic === 'm/v5' && r.payload === 'five'));
  });

  it('keeps what AWS would refuse off a broker that would have accepted it', async () => {
    const transport = open('gw-mosq-2');
    await expect(transport.publish({ topic: 'm/q2', payload: 1, qos: 2, timestamp: 0 })).rejects.toMatchObject({ code: 'AWS_QOS_UNSUPPORTED' });
    await expect(transport.publish({ topic: 'm/1/2/3/4/5/6/7/8', payload: 1, timestamp: 0 })).rejects.toMatchObject({ code: 'AWS_TOPIC_TOO_DEEP' });
    await transport.publish({ topic: 'm/after', payload: 1, timestamp: 0 });
    await until(() => received.some((r) => r.topic === 'm/after'));
    expect(received.some((r) => r.topic === 'm/q2' || r.topic.startsWith('m/1/'))).toBe(false);
  });

  it('reconnects after the broker restarts and delivers what was published meanwhile', async () => {
    // A persistent broker and session, so that the watcher misses nothing while both reconnect.
    const durable = await startMosquitto({
      persistence: true,
      tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, requireCertificate: true },
    });
    const seen: number[] = [];
    const durableWatcher = await rawClient(durable.port, { clientId: 'durable-watcher', clean: false, reconnectPeriod: 200 });
    durableWatcher.on('message', (_topic, payload) => seen.push(JSON.parse(payload.toString()).i));
    await durableWatcher.subscribeAsync('m/restart', { qos: 1 });
    const transport = open('gw-mosq-3', durable.port);
    try {
      await transport.ready();
      await durable.stop();
      await until(() => !transport.status().connections[0]!.connected);
      const sent = Array.from({ length: 20 }, (_, i) => transport.publish({ topic: 'm/restart', payload: { i }, timestamp: 0 }));
      await durable.start();
      await Promise.all(sent);
      await until(() => seen.length >= 20);
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    } finally {
      durableWatcher.end(true);
      await transport.close();
      await durable.close();
    }
  });
});

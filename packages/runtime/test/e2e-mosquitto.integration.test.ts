import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki, type MosquittoHandle, mosquittoAvailable, startMosquitto } from '@iiot/test-support';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../src/index.js';
import { collect, settled, startAedes } from './helpers.js';

const UNBOUNDED_QUEUES = ['max_queued_messages 0'];
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

describe.runIf(mosquittoAvailable())('end to end with Mosquitto', () => {
  const pki = createTestPki();
  let local: MosquittoHandle;
  let cloud: MosquittoHandle;
  let dataDir: string;
  let runtime: Runtime;

  beforeAll(async () => {
    [local, cloud] = await Promise.all([
      // Mosquitto drops QoS 1 messages beyond 1000 queued per client by default; the test's receiver may lag.
      startMosquitto({ persistence: true, extraConfig: UNBOUNDED_QUEUES }),
      startMosquitto({
        tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, requireCertificate: true },
        extraConfig: UNBOUNDED_QUEUES,
      }),
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'iiot-e2e-'));
    runtime = await createRuntime({ dataDir, broker: { url: local.url }, http: false, logger: { level: 'silent' } });
  });
  afterAll(async () => {
    await runtime?.close();
    await Promise.all([local?.close(), cloud?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('bridges 10,000 messages on several topics to the TLS target, transformed, complete and in order per topic', async () => {
    await runtime.install(fixture('seed-bridge.yaml'), {
      parameters: { Aws_IoT_Endpoint_Address: '127.0.0.1', Aws_IoT_Port: cloud.port },
      definitions: { caCert: pki.ca.cert, clientCert: pki.client.cert, clientPrivateKey: pki.client.key },
    });
    await runtime.enable('awsiotcoretest');
    await settled(runtime);
    const receiver = pki.issueClient({ commonName: 'receiver' });
    const arrived = await collect(cloud.url, 'TestDevice/#', { ca: pki.ca.cert, cert: receiver.cert, key: receiver.key });

    const device = await mqtt.connectAsync(local.url, { reconnectPeriod: 0 });
    const topics = ['line1/press', 'line1/oven', 'line2/press', 'line2/robot/arm', 'line3'];
    const total = 10_000;
    for (let i = 0; i < total; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => {
          const n = i + j;
          const reading = { DeviceData: { Temperature: n / 10, Position: { X: n, Y: 0, Z: 1 } }, n };
          return device.publishAsync(`services/awsiotcoretest/test/${topics[n % topics.length]}`, JSON.stringify(reading), { qos: 1 });
        }),
      );
    }
    await arrived.until(total);
    const byTopic = new Map<string, number[]>();
    for (const { topic, payload } of arrived.messages) {
      const body = JSON.parse(payload) as { deviceId: string; payload: { n: number; DeviceData: unknown } };
      expect(body.deviceId).toBe('TestDevice');
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), body.payload.n]);
    }
    expect([...byTopic.keys()].sort()).toEqual(topics.map((t) => `TestDevice/${t}`).sort());
    for (const [topic, ns] of byTopic) {
      const expected = Array.from({ length: total / topics.length }, (_, k) => k * topics.length + topics.indexOf(topic.slice(11)));
      expect(ns).toEqual(expected);
    }
    await Promise.all([device.endAsync(), arrived.client.endAsync()]);
    await runtime.uninstall('awsiotcoretest');
  }, 120_000);

  it('reconfigures one mapping of an enabled service and leaves the connections untouched', async () => {
    // Targets are aedes brokers in process, so the test can count every connection made to them.
    const [a, b] = await Promise.all([startAedes(), startAedes()]);
    const connects = (broker: { clients: string[] }, clientId: string) => broker.clients.filter((id) => id === clientId).length;
    try {
      await runtime.install(fixture('two-targets.yaml'), { parameters: { portA: a.port, portB: b.port } });
      await runtime.enable('twotargets');
      await settled(runtime);
      const atA = await collect(a.url, 'a/#');
      const atB = await collect(b.url, 'b/#');
      const device = await mqtt.connectAsync(local.url, { reconnectPeriod: 0 });
      await device.publishAsync('services/twotargets/a/x', '1', { qos: 1 });
      await device.publishAsync('services/twotargets/b/x', '1', { qos: 1 });
      await Promise.all([atA.until(1), atB.until(1)]);
      expect(JSON.parse(atB.messages[0]!.payload)).toEqual({ label: 'first', value: 1 });
      const before = [connects(a, 'two-targets-a'), connects(b, 'two-targets-b')];
      expect(before).toEqual([1, 1]);

      await runtime.reconfigure('twotargets', { parameters: { portA: a.port, portB: b.port, labelB: 'second' } });
      await settled(runtime);
      await device.publishAsync('services/twotargets/a/x', '2', { qos: 1 });
      await device.publishAsync('services/twotargets/b/x', '2', { qos: 1 });
      await Promise.all([atA.until(2), atB.until(2)]);
      expect(JSON.parse(atB.messages[1]!.payload)).toEqual({ label: 'second', value: 2 });
      expect(atA.messages.map((m) => m.payload)).toEqual(['1', '2']);
      // Neither connection was made again: only the changed mapping restarted.
      expect([connects(a, 'two-targets-a'), connects(b, 'two-targets-b')]).toEqual(before);
      await Promise.all([device.endAsync(), atA.client.endAsync(), atB.client.endAsync()]);
      await runtime.uninstall('twotargets');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

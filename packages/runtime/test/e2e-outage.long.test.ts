import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki, mosquittoAvailable, startMosquitto } from '@iiot/test-support';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import { arrivals, collect, settled } from './helpers.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const TOPICS = ['a', 'b/c', 'd'];

describe.runIf(mosquittoAvailable())('outage of the target', () => {
  it('delivers every message in order after the target was down for 15 s', async () => {
    const pki = createTestPki();
    const queues = ['max_queued_messages 0'];
    const local = await startMosquitto({ persistence: true, extraConfig: queues });
    const cloud = await startMosquitto({
      persistence: true,
      extraConfig: queues,
      tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, requireCertificate: true },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'iiot-outage-'));
    const runtime = await createRuntime({ dataDir, broker: { url: local.url }, http: false, logger: { level: 'silent' } });
    try {
      await runtime.install(fixture('seed-bridge.yaml'), {
        parameters: { Aws_IoT_Endpoint_Address: '127.0.0.1', Aws_IoT_Port: cloud.port },
        definitions: { caCert: pki.ca.cert, clientCert: pki.client.cert, clientPrivateKey: pki.client.key },
      });
      await runtime.enable('awsiotcoretest');
      await settled(runtime);
      const receiver = pki.issueClient({ commonName: 'receiver' });
      // A persistent session, so the target keeps what arrives while the receiver reconnects after the outage.
      const arrived = await collect(cloud.url, 'TestDevice/#', {
        ca: pki.ca.cert,
        ...receiver,
        clientId: 'outage-receiver',
        clean: false,
        reconnectPeriod: 200,
      });
      const device = await mqtt.connectAsync(local.url, { reconnectPeriod: 0 });
      const total = 6000;
      const perTick = 20; // 20 every 10 ms: 2,000 messages per second for 3 s, then the same during the outage
      let n = 0;
      const send = async (count: number) => {
        while (count-- > 0 && n < total) {
          const i = n++;
          const body = { DeviceData: { Temperature: i }, n: i };
          device.publish(`services/awsiotcoretest/test/${TOPICS[i % TOPICS.length]}`, JSON.stringify(body), { qos: 1 });
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      };
      while (n < total / 3) await send(perTick);
      await cloud.stop();
      const outageStart = Date.now();
      while (n < total) await send(perTick);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 15_000 - (Date.now() - outageStart))));
      const spooled = runtime.status().services[0]?.resources.find((r) => r.id === 'awsMqttConnection')?.buffer?.messages ?? 0;
      expect(spooled).toBeGreaterThan(0);
      await cloud.start();

      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && new Set(arrived.messages.map((m) => `${m.topic}${m.payload}`)).size < total) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const { firstSeen, duplicates } = arrivals(arrived.messages);
      for (const [topic, ns] of firstSeen) {
        const index = TOPICS.indexOf(topic.slice('TestDevice/'.length));
        expect(ns).toEqual(Array.from({ length: total / TOPICS.length }, (_, k) => k * TOPICS.length + index));
      }
      expect(firstSeen.size).toBe(TOPICS.length);
      console.log(`outage: ${spooled} spooled at the end of the outage, ${duplicates} duplicates`);
      await Promise.all([device.endAsync(), arrived.client.endAsync()]);
    } finally {
      await runtime.close();
      await Promise.all([local.close(), cloud.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../src/index.js';
import { collect, settled, startAedes } from './helpers.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

function nextMessage(client: mqtt.MqttClient): Promise<{ topic: string; payload: unknown }> {
  return new Promise((resolve) => client.once('message', (topic, payload) => resolve({ topic, payload: JSON.parse(payload.toString()) })));
}

describe('runtime with the embedded broker', () => {
  let dataDir: string;
  let runtime: Runtime | undefined;
  const start = () => createRuntime({ dataDir, broker: { port: 0 }, http: { port: 0 }, logger: { level: 'silent' } });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'iiot-runtime-'));
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a mapping, reports status and metrics, and comes back after a restart', async () => {
    runtime = await start();
    const installed = await runtime.install(fixture('local-bridge.yaml'), { parameters: { deviceId: 'Press7' } });
    expect(installed).toMatchObject({ serviceId: 'localbridge', state: 'disabled', targetState: 'disabled' });
    await runtime.enable('localbridge');

    const client = await mqtt.connectAsync(runtime.brokerUrl, { reconnectPeriod: 0 });
    await client.subscribeAsync('services/localbridge/out/#');
    const arrived = nextMessage(client);
    await client.publishAsync('services/localbridge/test/line1/temp', JSON.stringify({ t: 21.5 }));
    expect(await arrived).toEqual({ topic: 'services/localbridge/out/line1/temp', payload: { deviceId: 'Press7', payload: { t: 21.5 } } });

    const status = (await (await fetch(`${runtime.httpUrl}/status`)).json()) as { services: unknown[] };
    expect(status.services).toEqual([
      expect.objectContaining({ serviceId: 'localbridge', state: 'enabled', deviated: false }),
    ]);
    const metrics = await (await fetch(`${runtime.httpUrl}/metrics`)).text();
    expect(metrics).toContain('iiot_mapping_messages_out_total{service="localbridge",resource="wrap"} 1');
    expect(await (await fetch(`${runtime.httpUrl}/healthz`)).text()).toBe('ok\n');
    await client.endAsync();
    await runtime.close();

    runtime = await start();
    expect(runtime.status().services).toEqual([expect.objectContaining({ serviceId: 'localbridge', state: 'enabled' })]);
    const again = await mqtt.connectAsync(runtime.brokerUrl, { reconnectPeriod: 0 });
    await again.subscribeAsync('services/localbridge/out/#');
    const second = nextMessage(again);
    await again.publishAsync('services/localbridge/test/x', '1');
    expect((await second).payload).toEqual({ deviceId: 'Press7', payload: 1 });
    await again.endAsync();
  });

  it('publishes into a connection at QoS 1 unless the mapping sets a QoS, whatever QoS arrived', async () => {
    const target = await startAedes();
    try {
      runtime = await start();
      await runtime.install(fixture('qos-target.yaml'), { parameters: { port: target.port } });
      await runtime.enable('qostarget');
      await settled(runtime);
      const arrived = await collect(target.url, '#');
      const device = await mqtt.connectAsync(runtime.brokerUrl, { reconnectPeriod: 0 });
      await device.publishAsync('services/qostarget/default/a', '1', { qos: 0 });
      await device.publishAsync('services/qostarget/qos0/a', '2', { qos: 0 });
      await arrived.until(2);
      const fromRuntime = target.published.filter((p) => !p.topic.startsWith('$SYS'));
      expect(fromRuntime.sort((x, y) => x.topic.localeCompare(y.topic))).toEqual([
        { topic: 'default/a', qos: 1 },
        { topic: 'qos0/a', qos: 0 },
      ]);
      await Promise.all([device.endAsync(), arrived.client.endAsync()]);
    } finally {
      await runtime?.close();
      runtime = undefined;
      await target.close();
    }
  });

  it('enforces a read-only role declared in the file', async () => {
    runtime = await start();
    await runtime.install(fixture('local-bridge.yaml'));
    await runtime.enable('localbridge');
    const viewer = await mqtt.connectAsync(runtime.brokerUrl, { username: 'viewer', password: 'viewer-secret', reconnectPeriod: 0 });
    await viewer.subscribeAsync('services/localbridge/#');
    await expect(viewer.subscribeAsync('elsewhere/#')).rejects.toThrow(/Subscribe error/);
    const closed = new Promise<void>((resolve) => viewer.once('close', () => resolve()));
    viewer.publish('services/localbridge/test/a', '1', { qos: 1 });
    await closed;
    expect(runtime.status().services[0]?.resources.find((r) => r.id === 'wrap')?.flow?.in).toBe(0);
  });

  it('resolves references to another installed service, parents before children', async () => {
    const target = await startAedes();
    try {
      runtime = await start();
      await expect(runtime.install(fixture('child.yaml'))).rejects.toMatchObject({ code: 'SERVICE_DEPENDENCY_MISSING' });
      await runtime.install(fixture('parent.yaml'), { parameters: { port: target.port } });
      await runtime.install(fixture('child.yaml'));
      await expect(runtime.enable('child')).rejects.toMatchObject({ code: 'SERVICE_DEPENDENCY_MISSING' });
      await runtime.enable('parent');
      await runtime.enable('child');
      const arrived = await collect(target.url, 'out/#');
      const device = await mqtt.connectAsync(runtime.brokerUrl, { reconnectPeriod: 0 });
      await device.publishAsync('services/child/in/a', 'hello');
      await arrived.until(1, 10_000);
      expect(arrived.messages).toEqual([{ topic: 'out/a', payload: 'hello' }]);
      // A new target for the parent's connection: the child's mapping follows it.
      const moved = await startAedes();
      const atMoved = await collect(moved.url, 'out/#');
      await runtime.reconfigure('parent', { parameters: { port: moved.port } });
      await settled(runtime);
      await device.publishAsync('services/child/in/b', 'again');
      await atMoved.until(1, 10_000);
      expect(atMoved.messages).toEqual([{ topic: 'out/b', payload: 'again' }]);
      await atMoved.client.endAsync();
      await moved.close();
      await expect(runtime.disable('parent')).rejects.toMatchObject({ code: 'SERVICE_HAS_DEPENDENTS' });
      await expect(runtime.uninstall('parent')).rejects.toMatchObject({ code: 'SERVICE_HAS_DEPENDENTS' });
      await Promise.all([device.endAsync(), arrived.client.endAsync()]);
    } finally {
      await runtime?.close();
      runtime = undefined;
      await target.close();
    }
  });

  it('runs subscribe and write endpoints, and mappings that use them', async () => {
    const machine = await startAedes();
    try {
      runtime = await start();
      await runtime.install(fixture('endpoints.yaml'), { parameters: { port: machine.port } });
      await runtime.enable('endpoints');
      await settled(runtime);
      const local = await collect(runtime.brokerUrl, 'services/endpoints/#');
      const atMachine = await collect(machine.url, 'machine/setpoint');
      const device = await mqtt.connectAsync(machine.url, { reconnectPeriod: 0 });
      await device.publishAsync('machine/temperature', '21');
      await local.until(2, 10_000);
      expect(local.messages).toEqual(
        expect.arrayContaining([
          { topic: 'services/endpoints/temperature', payload: '21' },
          { topic: 'services/endpoints/doubled', payload: '42' },
        ]),
      );
      await local.client.publishAsync('services/endpoints/control/setpoint/set', JSON.stringify({ value: 55, id: 7 }));
      await atMachine.until(1, 10_000);
      expect(atMachine.messages).toEqual([{ topic: 'machine/setpoint', payload: '{"value":55,"id":7}' }]);
      await local.until(4, 10_000);
      const response = local.messages.find((m) => m.topic === 'services/endpoints/control/setpoint/res');
      expect(JSON.parse(response!.payload)).toMatchObject({ id: 7, result: 'published' });
      await Promise.all([device.endAsync(), local.client.endAsync(), atMachine.client.endAsync()]);
    } finally {
      await runtime?.close();
      runtime = undefined;
      await machine.close();
    }
  });

  it('keeps an installed service that cannot be restored instead of forgetting it', async () => {
    const broken = { serviceId: 'broken', fileName: 'broken.yaml', source: 'metadata: [', parameters: {}, targetState: 'enabled', brokerPassword: 'x' };
    writeFileSync(join(dataDir, 'services.json'), JSON.stringify({ version: 1, services: [broken] }));
    runtime = await start();
    expect(runtime.status().services).toEqual([]);
    await runtime.install(fixture('local-bridge.yaml'));
    const saved = JSON.parse(readFileSync(join(dataDir, 'services.json'), 'utf8')) as { services: { serviceId: string }[] };
    expect(saved.services.map((s) => s.serviceId)).toEqual(['broken', 'localbridge']);
  });

  it('refuses a file with a missing parameter, naming it', async () => {
    runtime = await start();
    await expect(
      runtime.install({ source: 'metadata: { name: x }\nparameters:\n  needed: { type: string }\nresources: {}\n', fileName: 'x.yaml' }),
    ).rejects.toThrow(/needed/);
  });
});

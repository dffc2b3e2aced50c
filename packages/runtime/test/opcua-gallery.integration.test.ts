import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSubscribable } from '@iiot/core';
import { referencePath } from '@iiot/test-support';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCommissioningFile } from '@iiot/commissioning';
import { createRuntime, type Runtime } from '../src/index.js';
import { collect } from '../../connectors-opcua/test/fixtures/collect.js';
import { type GalleryServer, type JsonValue, startGalleryServer } from '../../connectors-opcua/test/fixtures/gallery-server.js';

// The reference design's OPC UA gallery, run unchanged with opcuaHost/opcuaPort pointed at a server started
// here. The server's variables are the node ids each file declares; their values are the examples the
// file's own comments give.
const GALLERY = referencePath('examples/gallery/01_connecting-systems/opcua/');

const values: Record<string, JsonValue> = {
  // read-with-transformation.scf.yml, "Simple Real-World Examples" (fields its mappings read, filled in)
  'ns=2;i=1001': { StatusCode: 0, ErrorMessage: '' },
  'ns=2;i=2001': { TemperatureSensors: [23.5, 24.1], PressureSensors: [2.5, 2.4] },
  'ns=2;i=3001': { CycleData: { CycleNumber: 1500, PartsProduced: 1490 }, ProductionTotals: { TotalParts: 1500, GoodParts: 1485 } },
  // write-with-transformation.scf.yml, "Input Format Examples"
  'ns=3;s=AirConditioner_1.TemperatureSetPoint': 21.5,
  'ns=2;s=Production.Parameters': { Speed: 80, TargetRate: 100, QualityThreshold: 0.9, LastModified: '' },
  'ns=2;s=Machine.Control': { Command: 0, Mode: 0, SafetyOverride: false, CommandTimestamp: '', Operator: '' },
};

/** The node ids of a file's Opcua endpoints, with each endpoint's local topic and operation. */
async function opcuaEndpoints(file: string) {
  const definition = await loadCommissioningFile(file, { parameters: { opcuaHost: '127.0.0.1', opcuaPort: 4840 } });
  return definition.resources.flatMap((r) => {
    const p = r.properties as Record<string, Record<string, string> | string>;
    if (r.type !== 'Cybus::Endpoint' || p.protocol !== 'Opcua') return [];
    const kind = (['subscribe', 'read', 'write'] as const).find((k) => p[k] !== undefined)!;
    return [{ id: r.id, kind, nodeId: (p[kind] as Record<string, string>).nodeId!, topic: `services/${definition.serviceId}/${p.topic}` }];
  });
}

let server: GalleryServer | undefined;
let runtime: Runtime | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await runtime?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Starts a server with exactly the file's node ids, installs and enables the file against it, and listens on `#`. */
async function run(fileName: string) {
  const file = join(GALLERY, fileName);
  const endpoints = await opcuaEndpoints(file);
  server = await startGalleryServer(Object.fromEntries(endpoints.map((e) => [e.nodeId, values[e.nodeId]!])));
  dataDir = mkdtempSync(join(tmpdir(), 'iiot-opcua-gallery-'));
  runtime = await createRuntime({ dataDir, broker: { port: 0 }, http: false, logger: { level: 'silent' } });
  const client = await mqtt.connectAsync(runtime.brokerUrl, { reconnectPeriod: 0 });
  const messages = collect(
    createSubscribable<{ topic: string; payload: Record<string, unknown> }>((observer) => {
      const listener = (topic: string, payload: Buffer) => observer.next({ topic, payload: JSON.parse(payload.toString()) });
      client.on('message', listener);
      return () => client.off('message', listener);
    }),
  );
  await client.subscribeAsync('#', { qos: 0 });
  const status = await runtime.install(file, { parameters: { opcuaHost: '127.0.0.1', opcuaPort: server.port } });
  await runtime.enable(status.serviceId);
  const on = (topic: string) => messages.values.filter((m) => m.topic === topic).map((m) => m.payload);
  return { serviceId: status.serviceId, endpoints, client, messages, on, topic: (id: string) => endpoints.find((e) => e.id === id)!.topic };
}

describe('the OPC UA gallery against a local server', () => {
  it('read-with-transformation: values arrive on the raw topics; the mappings miss them, reading the data message as the structure', async () => {
    const { endpoints, client, messages, on } = await run('read-with-transformation.scf.yml');
    expect(endpoints.map((e) => e.kind)).toEqual(['subscribe', 'subscribe', 'subscribe']);
    // Every value the server holds arrives as a data message, structures with the server's field names.
    await messages.until(() => endpoints.every((e) => on(e.topic).length > 0));
    for (const e of endpoints) {
      expect(on(e.topic)[0]).toEqual({ timestamp: expect.any(Number), value: server!.get(e.nodeId), statusCode: 'Good', sourceTimestamp: expect.any(Number) });
    }
    // A change on the device arrives too (sampled every 2, 3 and 5 s, as the file asks).
    const changed: Record<string, JsonValue> = {
      'ns=2;i=1001': { StatusCode: 3, ErrorMessage: 'E-STOP pressed' },
      'ns=2;i=2001': { TemperatureSensors: [31, 30.5], PressureSensors: [3.5, 3.25] },
      'ns=2;i=3001': { CycleData: { CycleNumber: 1501, PartsProduced: 1491 }, ProductionTotals: { TotalParts: 1501, GoodParts: 1486 } },
    };
    for (const e of endpoints) server!.set(e.nodeId, changed[e.nodeId]!);
    await messages.until(() => endpoints.every((e) => on(e.topic).some((p) => JSON.stringify(p.value) === JSON.stringify(changed[e.nodeId]))), 15_000);

    // The file's expressions read `$.StatusCode`, `$.TemperatureSensors[0]` … from the message root, as if the
    // payload were the structure itself; an Opcua endpoint's payload is the data message
    // `{ timestamp, value, statusCode, sourceTimestamp }` (the structure is under `value`), so every field
    // taken from the device is missing and only the constants and `$now()` remain.
    const mapped = ['manufacturing/machine/status', 'manufacturing/sensors/readings', 'manufacturing/production/metrics'];
    await messages.until(() => mapped.every((t) => on(t).length >= 2));
    expect(on(mapped[0]!).at(-1)).toEqual({ machine_id: 'OPCUA_MACHINE_001', timestamp: expect.any(String) });
    expect(on(mapped[1]!).at(-1)).toEqual({ sensor_group: 'PRODUCTION_LINE', timestamp: expect.any(String) });
    expect(on(mapped[2]!).at(-1)).toEqual({ production_line: 'LINE_001', timestamp: expect.any(String) });
    await client.endAsync();
  }, 40_000);

  it('write-with-transformation: the mappings send bare values where a write request is `{ "value": … }`; written as requests, scalars round-trip', async () => {
    const { serviceId, endpoints, client, messages, on, topic } = await run('write-with-transformation.scf.yml');
    expect(endpoints.map((e) => e.kind)).toEqual(['write', 'write', 'write']);
    await expect.poll(() => runtime!.status().services[0]?.deviated, { timeout: 15_000 }).toBe(false);
    const before = Object.fromEntries(endpoints.map((e) => [e.nodeId, server!.get(e.nodeId)]));

    // The file's inputs, published where its mappings listen.
    await client.publishAsync('manufacturing/hvac/temperature/setpoint', JSON.stringify({ setpoint_celsius: 22.5, zone: 'production_floor' }));
    await client.publishAsync('manufacturing/production/parameters', JSON.stringify({ speed_percent: 85, target_rate: 120, quality_threshold: 95 }));
    await client.publishAsync('manufacturing/machine/commands', JSON.stringify({ action: 'start', mode: 'automatic', safety_override: false }));
    const res = (id: string) => on(`${topic(id)}/res`);
    await messages.until(() => endpoints.every((e) => res(e.id).length === 1));
    // The setpoint mapping outputs the number 22.5 as the whole request; a write request carries the value in
    // `value`, so there is nothing to write and the endpoint says so.
    expect(on(`${topic('temperatureSetpointWrite')}/set`)).toEqual([22.5]);
    expect(res('temperatureSetpointWrite')[0]).toEqual({
      id: null,
      timestamp: expect.any(Number),
      error: `Writing OPC UA node ns=3;s=AirConditioner_1.TemperatureSetPoint on ${serviceId}/opcuaConnection failed: Double needs a number, got undefined.`,
    });
    // The structure mappings send the structure as the whole request too; and the connector writes scalars and
    // arrays only, so even as `{ "value": … }` a structured variable is refused with a reason.
    for (const id of ['productionParametersWrite', 'machineControlWrite']) {
      expect(res(id)[0]).toEqual({ id: null, timestamp: expect.any(Number), error: expect.stringContaining('writing ExtensionObject values is not supported') });
    }
    for (const e of endpoints) expect(server!.get(e.nodeId)).toEqual(before[e.nodeId]);

    // The same endpoints with requests as the runtime documents them: the scalar is written, the structure refused.
    await client.publishAsync(`${topic('temperatureSetpointWrite')}/set`, JSON.stringify({ id: 7, value: 22.5 }));
    await client.publishAsync(`${topic('productionParametersWrite')}/set`, JSON.stringify({ id: 8, value: { Speed: 85, TargetRate: 120, QualityThreshold: 0.95 } }));
    await messages.until(() => res('temperatureSetpointWrite').length === 2 && res('productionParametersWrite').length === 2);
    expect(res('temperatureSetpointWrite')[1]).toEqual({ id: 7, timestamp: expect.any(Number), result: 'Good' });
    expect(server!.get('ns=3;s=AirConditioner_1.TemperatureSetPoint')).toBe(22.5);
    expect(res('productionParametersWrite')[1]).toMatchObject({ id: 8, error: expect.stringContaining('writing ExtensionObject values is not supported') });
    await client.endAsync();
  }, 40_000);
});

// Every input → output example of gallery/02_data-processing/05_setContextVars (README and service.scf.yaml).
import { describe, expect, it } from 'vitest';
import { entryOf, run } from './fixtures/gallery.js';

const FILE = 'gallery/02_data-processing/05_setContextVars/service.scf.yaml';

describe('gallery: setContextVars', () => {
  it('example 1 stores variables for a later transform', async () => {
    const { outputs } = await run(entryOf(FILE, 'basicExample'), [
      ['devices/sensors/data', { device: { name: 'sensor-01', location: 'warehouse' }, sensor: { type: 'temperature' }, value: 23.5 }],
    ]);
    expect(outputs[0]!.topic).toBe('processed/sensor_data');
    expect(outputs[0]!.payload).toEqual({
      device_info: { name: 'sensor-01', location: 'warehouse', type: 'temperature' },
      reading: 23.5,
      timestamp: expect.any(String),
      message: 'Device sensor-01 at warehouse',
    });
    expect(outputs[0]!.vars).toEqual({ deviceName: 'sensor-01', location: 'warehouse', sensorType: 'temperature' });
  });

  it('example 2 routes by variables in the publish topic', async () => {
    const input = { device: { name: 'temp-sensor-03', location: 'factory-floor' }, reading: { temperature: 28.7, humidity: 65 } };
    const { outputs } = await run(entryOf(FILE, 'dynamicRouting'), [['sensors/incoming', input]]);
    expect(outputs.map((m) => [m.topic, m.payload])).toEqual([
      [
        'devices/temp-sensor-03/factory-floor/processed',
        { routed_to: 'devices/temp-sensor-03/factory-floor/processed', device: 'temp-sensor-03', location: 'factory-floor', data: input },
      ],
    ]);
  });

  it('example 3 computes conditional variables (cases A and B)', async () => {
    const { outputs } = await run(entryOf(FILE, 'conditionalExample'), [
      ['temperature/readings', { temperature: 25, sensor: 'room-01' }],
      ['temperature/readings', { temperature: 42, sensor: 'server-room' }],
    ]);
    expect(outputs.map((m) => [m.topic, m.payload])).toEqual([
      [
        'alerts/normal/temperature',
        { temperature: 25, priority: 'normal', status: 'ok', alert_topic: 'alerts/normal/temperature', needs_attention: false },
      ],
      [
        'alerts/high/temperature',
        { temperature: 42, priority: 'high', status: 'critical', alert_topic: 'alerts/high/temperature', needs_attention: true },
      ],
    ]);
  });

  it('example 4 routes per tenant and event type', async () => {
    const input = {
      organization: { id: 'acme-corp', name: 'ACME Corporation' },
      event: { type: 'user-login', user_id: 'john.doe', timestamp: '2024-10-29T10:30:00Z' },
      metadata: { source: 'web-app', session_id: 'sess_123' },
    };
    const { outputs } = await run(entryOf(FILE, 'tenantRouting'), [['app/events', input]]);
    expect(outputs.map((m) => [m.topic, m.payload])).toEqual([
      [
        'tenants/acme-corp/events/user-login',
        { tenant_id: 'acme-corp', event_type: 'user-login', routed_to: 'tenants/acme-corp/events/user-login', event_data: input },
      ],
    ]);
  });

  it('a variable the publish topic needs but the message lacks is a dead letter, not a crash', async () => {
    const { outputs, deadLetters, metrics } = await run(entryOf(FILE, 'tenantRouting'), [
      ['app/events', { organization: {}, event: { type: 'x' } }],
      ['app/events', { organization: { id: 'a' }, event: { type: 'x' } }],
    ]);
    expect(outputs.map((m) => m.topic)).toEqual(['tenants/a/events/x']);
    expect(deadLetters.map((d) => [d.error.code, d.rule])).toEqual([['PUBLISH_TOPIC_INVALID', undefined]]);
    expect(metrics).toMatchObject({ in: 2, out: 1, errored: 1 });
  });
});

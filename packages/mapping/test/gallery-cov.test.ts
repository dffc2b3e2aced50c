// Every input → output example of gallery/02_data-processing/06_cov (README and service.scf.yaml).
import { describe, expect, it } from 'vitest';
import { entryOf, run } from './fixtures/gallery.js';

const FILE = 'gallery/02_data-processing/06_cov/service.scf.yaml';

async function passes(resource: string, topic: string, inputs: readonly unknown[]) {
  const { payloads, metrics } = await run(entryOf(FILE, resource), inputs.map((p) => [topic, p] as const));
  expect(metrics.filtered).toBe(inputs.length - payloads.length);
  return payloads;
}

describe('gallery: cov', () => {
  it('level 1 passes state changes only', async () => {
    const inputs = [
      { state: 'running', speed: 1800 },
      { state: 'running', speed: 1820 },
      { state: 'stopped', speed: 0 },
      { state: 'stopped', speed: 0 },
      { state: 'error', speed: 0 },
    ];
    expect(await passes('basicStringMonitoring', 'machine/status', inputs)).toEqual([inputs[0], inputs[2], inputs[4]]);
  });

  it('level 2 applies an absolute deadband from the last passed value', async () => {
    const inputs = [22.0, 22.1, 22.3, 22.6, 22.8, 21.9].map((temperature, i) => ({ temperature, humidity: 60 + i, timestamp: `10:00:0${i + 1}` }));
    expect(await passes('basicNumericFiltering', 'sensors/temperature/raw', inputs)).toEqual([inputs[0], inputs[3], inputs[5]]);
  });

  it('level 3 applies a relative deadband in percent', async () => {
    const inputs = [100.0, 102.0, 106.0, 108.0, 115.0].map((pressure_bar, i) => ({ pressure_bar, cycle_count: 1450 + i }));
    expect(await passes('relativeDeadbandFiltering', 'equipment/press/pressure', inputs)).toEqual([inputs[0], inputs[2], inputs[4]]);
  });

  it('level 4: adjacent cov rules pass a message when any of them sees a change', async () => {
    const inputs = [
      { mode: 'auto', temperature: 65.0, alarm_active: false, rpm: 1800 },
      { mode: 'auto', temperature: 65.5, alarm_active: false, rpm: 1805 },
      { mode: 'manual', temperature: 65.7, alarm_active: false, rpm: 1810 },
      { mode: 'manual', temperature: 67.2, alarm_active: true, rpm: 1815 },
    ];
    expect(await passes('multipleFieldMonitoring', 'equipment/motor/all-sensors', inputs)).toEqual([inputs[0], inputs[2], inputs[3]]);
  });

  it('level 5 passes changes on to a transform', async () => {
    const inputs = [25.05, 25.052, 25.062, 25.065, 25.035].map((diameter_mm, i) => ({ part_id: `P00${i + 1}`, diameter_mm }));
    const { payloads } = await run(entryOf(FILE, 'covWithTransform'), inputs.map((p) => ['production/quality/measurements', p] as const));
    expect(payloads).toEqual([
      { part_id: 'P001', measurement: 25.05, target: 25.05, deviation: 0, status: 'PASS', alert_level: 'info', timestamp: expect.any(String) },
      { part_id: 'P003', measurement: 25.062, target: 25.05, deviation: expect.closeTo(0.012, 9), status: 'PASS', alert_level: 'info', timestamp: expect.any(String) },
      // The comment says "warning", but 25.035 is neither < 25.02 nor > 25.08.
      { part_id: 'P005', measurement: 25.035, target: 25.05, deviation: expect.closeTo(-0.015, 9), status: 'PASS', alert_level: 'info', timestamp: expect.any(String) },
    ]);
  });

  it('level 7 compares whole objects', async () => {
    const inputs = [
      { settings: { host: 'db1', port: 5432 }, version: '1.0' },
      { settings: { host: 'db1', port: 5432 }, version: '1.1' },
      { settings: { host: 'db2', port: 5433 }, version: '1.1' },
    ];
    expect(await passes('configurationMonitoring', 'system/config/updates', inputs)).toEqual([inputs[0], inputs[2]]);
  });

  it('keeps its memory per concrete source topic', async () => {
    const entry = { subscribe: { topic: 'machines/+id/status' }, rules: [{ cov: { key: 'state' } }] };
    const { outputs } = await run(entry, [
      ['machines/a/status', { state: 'on' }],
      ['machines/b/status', { state: 'on' }],
      ['machines/a/status', { state: 'on' }],
      ['machines/b/status', { state: 'off' }],
    ]);
    expect(outputs.map((m) => [m.topic, m.payload])).toEqual([
      ['machines/a/status', { state: 'on' }],
      ['machines/b/status', { state: 'on' }],
      ['machines/b/status', { state: 'off' }],
    ]);
  });
});

// Every input → output example of gallery/02_data-processing/02_filter (README and service.scf.yaml).
import { describe, expect, it } from 'vitest';
import { entryOf, run } from './fixtures/gallery.js';

const FILE = 'gallery/02_data-processing/02_filter/service.scf.yaml';

describe('gallery: filter', () => {
  it('level 1 passes only ERROR logs, unchanged', async () => {
    const inputs = [
      { level: 'INFO', message: 'System started', timestamp: '10:00:01' },
      { level: 'ERROR', message: 'Database connection failed', timestamp: '10:00:02' },
      { level: 'WARN', message: 'High memory usage', timestamp: '10:00:03' },
      { level: 'ERROR', message: 'Service timeout', timestamp: '10:00:04' },
    ];
    const { outputs, metrics } = await run(entryOf(FILE, 'basicFieldFilter'), inputs.map((p) => ['system/logs', p] as const));
    expect(outputs.map((m) => [m.topic, m.payload])).toEqual([
      ['system/logs/errors', inputs[1]],
      ['system/logs/errors', inputs[3]],
    ]);
    expect(metrics).toMatchObject({ in: 4, out: 2, filtered: 2, errored: 0, rules: [{ index: 0, type: 'filter', filtered: 2 }] });
  });

  it('level 2 passes temperatures above 85 (and the README flow 90 / 70 / 95)', async () => {
    const entry = entryOf(FILE, 'numericRangeFilter');
    const inputs = [
      { temperature: 75.5, sensor_id: 'T001', location: 'engine' },
      { temperature: 87.2, sensor_id: 'T002', location: 'exhaust' },
      { temperature: 82.1, sensor_id: 'T003', location: 'coolant' },
      { temperature: 89.8, sensor_id: 'T001', location: 'engine' },
    ];
    const level2 = await run(entry, inputs.map((p) => ['sensors/temperature/readings', p] as const));
    expect(level2.payloads).toEqual([inputs[1], inputs[3]]);
    expect(level2.outputs[0]!.topic).toBe('sensors/temperature/high-temp-alerts');

    const flow = [
      { temperature: 90, device: 'sensor-01' },
      { temperature: 70, device: 'sensor-02' },
      { temperature: 95, device: 'sensor-03' },
    ];
    const readme = await run(entry, flow.map((p) => ['sensors/temperature/readings', p] as const));
    expect(readme.payloads).toEqual([flow[0], flow[2]]);
  });

  it('level 3 combines conditions', async () => {
    const inputs = [
      { diameter: 25.02, status: 'completed', part_id: 'P001' },
      { diameter: 24.92, status: 'completed', part_id: 'P002' },
      { diameter: 25.08, status: 'in_progress', part_id: 'P003' },
      { diameter: 25.12, status: 'completed', part_id: 'P004' },
    ];
    const { payloads } = await run(entryOf(FILE, 'complexConditionFilter'), inputs.map((p) => ['production/quality/measurements', p] as const));
    expect(payloads).toEqual([inputs[1], inputs[3]]);
  });

  it('level 4 filters on arrays and nested objects', async () => {
    const inputs = [
      { equipment: { id: 'CNC-001', operational: true }, issues: [{ type: 'vibration', severity: 'minor' }] },
      {
        equipment: { id: 'PRESS-002', operational: false },
        issues: [
          { type: 'hydraulic_leak', severity: 'critical' },
          { type: 'wear', severity: 'minor' },
        ],
      },
      { equipment: { id: 'ROBOT-003', operational: true }, issues: [{ type: 'calibration', severity: 'critical' }] },
    ];
    const { payloads } = await run(entryOf(FILE, 'arrayObjectFilter'), inputs.map((p) => ['equipment/maintenance/reports', p] as const));
    expect(payloads).toEqual([inputs[1]]);
  });

  it('level 5 uses $context.topic of a wildcard subscription', async () => {
    const inputs = [
      ['factory/line-a/cnc-001/alarms', { alarm_type: 'production_stop', message: 'Emergency stop activated' }],
      ['factory/line-a/robot-arm/alarms', { alarm_type: 'maintenance', message: 'Scheduled maintenance due' }],
      ['factory/line-b/cnc-002/alarms', { alarm_type: 'production_stop', message: 'Material jam detected' }],
      ['factory/line-a/conveyor/alarms', { alarm_type: 'production_stop', message: 'Conveyor belt stopped' }],
    ] as const;
    const { outputs } = await run(entryOf(FILE, 'wildcardContextFilter'), inputs);
    expect(outputs.map((m) => [m.topic, m.payload])).toEqual([
      ['factory/alarms/production-critical', inputs[0][1]],
      ['factory/alarms/production-critical', inputs[3][1]],
    ]);
    expect(outputs[0]!.vars).toEqual({ line: 'line-a', machine: 'cnc-001' });
  });

  it('level 6 filters, then transforms', async () => {
    const { payloads } = await run(entryOf(FILE, 'filterTransformCombination'), [
      ['vehicles/truck-001/telemetry', { engine_temp: 92, oil_pressure: 35, battery_voltage: 12.2 }],
      ['vehicles/truck-002/telemetry', { engine_temp: 98, oil_pressure: 28, battery_voltage: 12.0 }],
      ['vehicles/van-003/telemetry', { engine_temp: 102, oil_pressure: 32, battery_voltage: 11.2 }],
    ]);
    // The comment shows "vehicle_id": "truck-002" from $context.label, but the subscription has no label, so
    // $context.label is undefined and JSONata leaves the field out. It also shows engine_overheating false
    // for 98 > 95, and leaves out timestamp and recommended_action.
    expect(payloads).toEqual([
      {
        alert_type: 'maintenance_required',
        conditions: { engine_overheating: true, low_oil_pressure: true, low_battery: false },
        severity: 'warning',
        timestamp: expect.any(String),
        recommended_action: 'schedule_maintenance',
      },
      {
        alert_type: 'maintenance_required',
        conditions: { engine_overheating: true, low_oil_pressure: false, low_battery: true },
        severity: 'critical',
        timestamp: expect.any(String),
        recommended_action: 'immediate_shutdown',
      },
    ]);
  });

  it('level 7 runs a statistics block in the filter', async () => {
    const b001 = {
      batch_id: 'B001',
      readings: [
        { sensor: 'S1', value: 22.1 },
        { sensor: 'S2', value: 22.3 },
        { sensor: 'S3', value: 22.0 },
        { sensor: 'S4', value: 35.8 },
      ],
    };
    const b002 = { ...b001, batch_id: 'B002', readings: b001.readings.map((r, i) => ({ ...r, value: [21.8, 22.1, 22.4, 22.0][i] })) };
    const { payloads, metrics } = await run(entryOf(FILE, 'advancedJsonataFilter'), [
      ['analytics/sensor-data/batch', b001],
      ['analytics/sensor-data/batch', b002],
    ]);
    // The comment expects B001 to pass, but with four readings no value can lie more than √3 ≈ 1.73
    // population standard deviations from the mean, so "> 2 std" never holds and both are filtered.
    expect(payloads).toEqual([]);
    expect(metrics).toMatchObject({ in: 2, filtered: 2, errored: 0 });
  });
});

// Every input → output example of gallery/02_data-processing/01_transform, run on the file's own rule chain.
// Where the comment's expected output is not what JSONata computes, the test asserts JSONata's result and
// says why; README.md lists these differences.
import { describe, expect, it } from 'vitest';
import { ROOT, entryOf, run } from './fixtures/gallery.js';

const DIR = 'gallery/02_data-processing/01_transform';
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);

async function one(file: string, resource: string, topic: string, input: unknown) {
  const result = await run(entryOf(`${DIR}/${file}`, resource), [[`${ROOT}/${topic}`, input]]);
  return result;
}

describe('gallery: transform', () => {
  it('01 renames fields and maps the mode', async () => {
    const { outputs } = await one('01_sensor_standardization.scf.yaml', 'sensorDataStandardization', 'production/cnc-001/sensors/raw', {
      temp_spindle: 68.5,
      temp_coolant: 25.3,
      spd: 2100,
      vib: 1.8,
      mode: 1,
    });
    expect(outputs).toEqual([
      {
        topic: 'production/cnc-001/sensors/standardized',
        timestamp: expect.any(Number),
        vars: {},
        payload: {
          machine_id: 'CNC-001',
          spindle_temperature: 68.5,
          coolant_temperature: 25.3,
          spindle_speed: 2100,
          vibration_level: 1.8,
          operational_mode: 'automatic',
          // $now() is JSONata's ISO 8601 text, not the milliseconds the comment shows.
          timestamp: ISO,
        },
      },
    ]);
  });

  it('02 indexes a register array and takes the machine id from the topic', async () => {
    const { outputs } = await one('02_machine_enrichment.scf.yaml', 'machineDataEnrichment', 'machines/robot-001/telemetry/raw', [1247, 7850, 68, 1.8]);
    expect(outputs[0]!.topic).toBe('maintenance/machines/robot-001/enriched-data');
    expect(outputs[0]!.payload).toEqual({
      machine_id: 'robot-001',
      cycle_count: 1247,
      operating_hours: 7850,
      temperature: 68,
      vibration: 1.8,
      temperature_valid: true,
      vibration_normal: true,
      timestamp: ISO,
      data_source: 'modbus_gateway',
    });
  });

  it('03 converts Fahrenheit', async () => {
    const { outputs } = await one('03_temperature_conversion.scf.yaml', 'temperatureConversion', 'facility/hvac/zone-1/temperature/fahrenheit', {
      temperature_f: 75.5,
    });
    expect(outputs[0]!.topic).toBe('facility/hvac/zone-1/temperature/converted');
    expect(outputs[0]!.payload).toEqual({
      zone_id: 'zone-1',
      fahrenheit: 75.5,
      celsius: 24.17,
      kelvin: 297.32,
      is_comfortable: false,
      timestamp: ISO,
    });
  });

  it('04 restructures flat production data', async () => {
    const { payloads } = await one('04_production_restructuring.scf.yaml', 'productionDataRestructuring', 'production/line-a/status/flat', {
      status: 1,
      units_hour: 95,
      target_hour: 100,
      cnc1_id: 'CNC-001',
      cnc1_status: 1,
      cnc2_id: 'CNC-002',
      cnc2_status: 0,
    });
    expect(payloads).toEqual([
      {
        line_info: { line_id: 'LINE-A', status: 'running' },
        production: { units_produced: 95, target_units: 100, efficiency: 95 },
        machines: [
          { machine_id: 'CNC-001', status: 'running' },
          { machine_id: 'CNC-002', status: 'stopped' },
        ],
        timestamp: ISO,
      },
    ]);
  });

  it('05 assesses equipment health', async () => {
    const { outputs } = await one('05_equipment_monitoring.scf.yaml', 'equipmentHealthAssessment', 'equipment/press-001/condition/raw', {
      temperature: 78,
      vibration: 3.2,
      operating_hours: 8750,
      last_maintenance: 6950,
    });
    expect(outputs[0]!.topic).toBe('maintenance/alerts/press-001/status-assessment');
    expect(outputs[0]!.payload).toEqual({
      equipment_id: 'press-001',
      temperature: 78,
      vibration: 3.2,
      temperature_status: 'warning',
      vibration_status: 'warning',
      overall_status: 'alert',
      // The comment says true, but 8750 - 6950 = 1800 is not > 2000.
      needs_maintenance: false,
      timestamp: ISO,
    });
  });

  it('06 bit extraction: & is string concatenation in JSONata, so the rule fails and the message is a dead letter', async () => {
    const { outputs, deadLetters, metrics } = await one('06_bit_extraction.scf.yaml', 'bitExtractionMapping', 'plc/status/raw', [23]);
    // The comment expects flags from bitwise AND; JSONata has no bitwise operators ("23" & "1" = "231").
    expect(outputs).toEqual([]);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]!.error.code).toBe('RULE_FAILED');
    expect(deadLetters[0]!.error.message).toContain('T2009');
    expect(deadLetters[0]!.rule).toEqual({ index: 0, type: 'transform' });
    expect(metrics).toMatchObject({ in: 1, out: 0, errored: 1 });
  });

  it('07 database row: + does not join strings in JSONata, so the rule fails and the message is a dead letter', async () => {
    const { outputs, deadLetters } = await one('07_database_standardization.scf.yaml', 'databaseStandardization', 'database/production/legacy-rows', {
      ID: 12345,
      WO_NUM: 987,
      PN: 'PART-ABC-001',
      QTY_PROD: '450',
      QTY_TARG: '500',
      OPER_ID: '23',
      SHIFT: '1',
      PROD_DT: '2024-11-01',
      MC_ID: 'CNC001',
      STAT: 'P',
    });
    // The comment expects "WO-000987"; JSONata joins strings with &, and "WO-" + … is error T2001.
    expect(outputs).toEqual([]);
    expect(deadLetters.map((d) => [d.error.code, d.rule?.type])).toEqual([['RULE_FAILED', 'transform']]);
    expect(deadLetters[0]!.error.message).toContain('T2001');
    expect(deadLetters[0]!.message.topic).toBe('services/demo/database/production/legacy-rows');
  });

  it('08 checks quality tolerances', async () => {
    const { payloads } = await one('08_quality_data_processing.scf.yaml', 'qualityDataProcessing', 'quality/inspection/raw-measurements', {
      part_serial: 'P240001-001',
      diameter: 50.05,
      length: 99.8,
      roughness: 1.2,
      operator: 'OP-12',
    });
    const payload = payloads[0] as { statistics: { cpk_diameter: number; deviation_length: number } };
    expect(payload).toEqual({
      part_id: 'P240001-001',
      inspection_station: 'QS-001',
      measurements: { diameter_mm: 50.05, length_mm: 99.8, surface_roughness: 1.2 },
      tolerances: { diameter_within_spec: true, length_within_spec: true, roughness_within_spec: true },
      quality_result: {
        pass_fail: 'PASS',
        // The comment expects []: but `$$` in the predicate is the input document, not the item, so
        // [$$ != null] keeps every entry, nulls included.
        defect_codes: [null, null, null],
      },
      statistics: { cpk_diameter: expect.any(Number), deviation_length: expect.any(Number) },
      timestamp: ISO,
    });
    expect(payload.statistics.cpk_diameter).toBeCloseTo(1.5, 9);
    expect(payload.statistics.deviation_length).toBeCloseTo(0.2, 9);
  });

  it('09 scales energy meter registers', async () => {
    const { payloads } = await one('09_energy_monitoring.scf.yaml', 'energyDataProcessing', 'energy/meters/line-01/raw', [
      38500, 12300, 42100, 87, 125600, 1250, 0, 0, 0, 0,
    ]);
    expect(payloads[0]).toEqual({
      meter_id: 'EM-LINE-01',
      power_readings: { active_power_kw: 38.5, reactive_power_kvar: 12.3, apparent_power_kva: 42.1, power_factor: 0.87 },
      energy_consumption: {
        total_kwh: 125.6,
        // The comment shows 1.25, but the rule rounds to one decimal, and JSONata rounds half to even.
        daily_kwh: 1.2,
        cost_per_hour: 4.62,
      },
      efficiency_metrics: { power_factor_good: false, load_factor: 0.77, efficiency_rating: 'fair' },
      // The comment says low_power_factor is true, but 87 / 100 = 0.87 is not < 0.8.
      alerts: { high_consumption: false, low_power_factor: false, demand_peak: false },
      timestamp: ISO,
    });
  });

  it('10 categorizes alarms', async () => {
    const { payloads } = await one('10_alarm_processing.scf.yaml', 'alarmProcessing', 'scada/alarms/raw-events', {
      alarm_code: 'A001-TH-01',
      equipment_tag: 'PMP-001',
      message: 'Motor temperature high - 95°C',
      priority: 2,
      state: 1,
      duration: 180,
      operator: 'OP-15',
    });
    expect(payloads[0]).toEqual({
      alarm_id: 'A001-TH-01',
      equipment_id: 'PMP-001',
      alarm_text: 'Motor temperature high - 95°C',
      severity: 'high',
      category: 'thermal',
      maintenance_action: 'within_hour',
      auto_acknowledge: false,
      escalation_required: false,
      alarm_state: 'active',
      timestamp: ISO,
    });
  });
});

// Every input → output example of gallery/02_data-processing/07_collect (README and service.scf.yaml).
import { describe, expect, it } from 'vitest';
import { createMappingPipeline, type MappingEntry } from '../src/index.js';
import { entryOf, readmeBlock, run } from './fixtures/gallery.js';

const DIR = 'gallery/02_data-processing/07_collect';
const FILE = `${DIR}/service.scf.yaml`;

describe('gallery: collect', () => {
  it('example 1 (README step 1): every message releases the whole cache, keyed by topic', async () => {
    const t = { value: 23.5, unit: '°C', timestamp: '2025-10-29T10:00:01Z' };
    const h = { value: 65.2, unit: '%', timestamp: '2025-10-29T10:00:02Z' };
    const p = { value: 1013.1, unit: 'hPa', timestamp: '2025-10-29T10:00:03Z' };
    const { outputs } = await run(entryOf(FILE, 'basicEnvironmentalSnapshot'), [
      ['sensors/temperature', t],
      ['sensors/humidity', h],
      ['sensors/pressure', p],
    ]);
    expect(outputs.map((m) => [m.topic, m.payload])).toEqual([
      ['environment/basic-snapshot', { 'sensors/temperature': t }],
      ['environment/basic-snapshot', { 'sensors/temperature': t, 'sensors/humidity': h }],
      ['environment/basic-snapshot', { 'sensors/temperature': t, 'sensors/humidity': h, 'sensors/pressure': p }],
    ]);
  });

  it('example 2 (README step 2): static labels as keys', async () => {
    const temp = { value: 22.8, unit: '°C', sensor_id: 'TEMP-001' };
    const humidity = { value: 55.3, unit: '%', sensor_id: 'HUM-001' };
    const pressure = { value: 1012.7, unit: 'hPa', sensor_id: 'PRESS-001' };
    const { payloads } = await run(entryOf(FILE, 'labeledEnvironmentalSnapshot'), [
      ['sensors/office/temperature', temp],
      ['sensors/office/humidity', humidity],
      ['sensors/office/pressure', pressure],
    ]);
    expect(payloads[2]).toEqual({
      office_conditions: { temperature: temp, humidity, pressure, comfort_index: 'comfortable' },
      snapshot_timestamp: expect.any(String),
    });
  });

  it('example 3: dynamic labels per room; the expression fails on every message, each a dead letter', async () => {
    const rooms = ['office-a', 'conference', 'lobby', 'kitchen'];
    const { outputs, deadLetters, metrics } = await run(
      entryOf(FILE, 'roomEnvironmentalMonitoring'),
      rooms.map((room, i) => [`building/${room}/sensors/temperature`, { value: [23.2, 26.8, 21.5, 28.1][i], unit: '°C' }] as const),
    );
    // `… ~> $map(_, function…)` passes three arguments to $map (the chained value, `_` and the function),
    // which JSONata rejects (T0410); the comment's output cannot be produced by this rule.
    expect(outputs).toEqual([]);
    expect(metrics).toMatchObject({ in: 4, errored: 4, rules: [{ type: 'collect', errored: 0 }, { type: 'transform', errored: 4 }] });
    expect(deadLetters[3]!.message.payload).toEqual({
      'temp_office-a': { value: 23.2, unit: '°C' },
      temp_conference: { value: 26.8, unit: '°C' },
      temp_lobby: { value: 21.5, unit: '°C' },
      temp_kitchen: { value: 28.1, unit: '°C' },
    });
    expect(deadLetters[0]!.error.message).toContain('T0410');
  });

  it('example 4: a lambda body with ";" outside a block does not compile, and the mapping is rejected', () => {
    // `function($floor) { $a := …; {…} }` needs parentheses around the sequence in JSONata.
    expect(() => createMappingPipeline(entryOf(FILE, 'multiLevelEnvironmentalMonitoring'), { id: 'multiLevel' })).toThrow(
      expect.objectContaining({ code: 'EXPRESSION_INVALID', message: expect.stringContaining('Rule 2 (transform)') }),
    );
  });

  it('example 5 summarizes a production line', async () => {
    const { payloads } = await run(entryOf(FILE, 'manufacturingEquipmentStatus'), [
      ['factory/line-a/cnc-001/status', { operational: true, temperature: 68.5, spindle_speed: 2500 }],
      ['factory/line-a/cnc-001/performance', { oee: 0.85, cycle_time: 45.2, quality_rate: 0.98 }],
      ['factory/line-a/robot-arm/status', { operational: true, position: 'home', load: 0 }],
      ['factory/line-a/conveyor/status', { operational: false, speed: 0, error_message: 'Motor fault' }],
      ['factory/line-a/quality-scanner/status', { operational: true, scan_rate: 95.2, defects_detected: 2 }],
    ]);
    expect(payloads).toHaveLength(5);
    expect(payloads[4]).toMatchObject({
      line_summary: {
        line_id: 'line-a',
        timestamp: expect.any(String),
        overall_status: 'degraded',
        equipment_count: { total: 4, operational: 3, errors: 1 },
      },
      // The comment shows a one-element array; JSONata's $map returns a single result unwrapped.
      alerts: { equipment: 'conveyor', error: 'Motor fault', priority: 'high' },
    });
    expect((payloads[4] as { equipment_details: unknown[] }).equipment_details).toHaveLength(4);
  });

  it('README step 3: $values is not a JSONata function, so the overview fails per message', async () => {
    const [mapping] = readmeBlock<{ mappings: MappingEntry[] }>(`${DIR}/README.md`, 5).mappings;
    const { outputs, deadLetters } = await run(mapping!, [
      ['building/office-a/sensors/temperature', { value: 23.2 }],
      ['building/conference/sensors/temperature', { value: 26.8 }],
      ['building/lobby/sensors/temperature', { value: 21.5 }],
    ]);
    expect(outputs).toEqual([]);
    expect(deadLetters).toHaveLength(3);
    expect(deadLetters[2]!.message.payload).toEqual({
      'temp_office-a': { value: 23.2 },
      temp_conference: { value: 26.8 },
      temp_lobby: { value: 21.5 },
    });
  });

  it('README cache triggering: any message releases the complete cache', async () => {
    const entry: MappingEntry = {
      subscribe: [{ topic: 'office/+kind', label: '{kind}_office' }],
      rules: [{ collect: {} }],
    };
    const { payloads } = await run(entry, [
      ['office/temp', 22.5],
      ['office/humidity', 65],
      ['office/pressure', { value: 1013 }],
    ]);
    expect(payloads[2]).toEqual({ temp_office: 22.5, humidity_office: 65, pressure_office: { value: 1013 } });
  });

  it('keeps at most maxStateEntries keys, evicting the oldest', async () => {
    const entry: MappingEntry = { subscribe: { topic: 'k/+n' }, rules: [{ collect: {} }] };
    const { payloads } = await run(entry, [['k/a', 1], ['k/b', 2], ['k/c', 3], ['k/b', 4]], { maxStateEntries: 2 });
    expect(payloads).toEqual([{ 'k/a': 1 }, { 'k/a': 1, 'k/b': 2 }, { 'k/b': 2, 'k/c': 3 }, { 'k/b': 4, 'k/c': 3 }]);
  });
});

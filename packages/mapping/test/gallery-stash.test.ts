// Every input → output example of gallery/02_data-processing/04_stash (README and service.scf.yaml).
import { describe, expect, it } from 'vitest';
import type { MappingEntry, RuleSpec } from '../src/index.js';
import { entryOf, readmeBlock, run } from './fixtures/gallery.js';

const DIR = 'gallery/02_data-processing/04_stash';
const FILE = `${DIR}/service.scf.yaml`;

describe('gallery: stash', () => {
  it('README step 1: compares each temperature with the previous one', async () => {
    const { rules } = readmeBlock<{ rules: RuleSpec[] }>(`${DIR}/README.md`, 0);
    const entry: MappingEntry = { subscribe: { topic: 'sensors/room' }, rules };
    const { payloads } = await run(entry, [
      ['sensors/room', { temperature: 25, sensor: 'room-01' }],
      ['sensors/room', { temperature: 27, sensor: 'room-01' }],
      ['sensors/room', { temperature: 24, sensor: 'room-01' }],
    ]);
    // The README's flow says the raw input is stashed, but its own rule ("stash stores the complete payload
    // from the previous rule step") stashes the transform's result, which has no `temperature`: so from the
    // second message on, previous_temp and change have no value and JSONata leaves them out.
    expect(payloads).toEqual([
      { current_temp: 25, previous_temp: null, change: 0, sensor: 'room-01' },
      { current_temp: 27, sensor: 'room-01' },
      { current_temp: 24, sensor: 'room-01' },
    ]);
  });

  it('stash first: later rules of a message see the previous raw input', async () => {
    const { payloads } = await run(entryOf(FILE, 'stashFirst'), [
      ['sensors/raw', { temperature: 25, sensor: 'A1' }],
      ['sensors/raw', { temperature: 28, sensor: 'A1' }],
    ]);
    expect(payloads).toEqual([
      { current: 25, previous: null },
      { current: 28, previous: 25 },
    ]);
  });

  it('stash last: the next message sees the processed result', async () => {
    const { payloads } = await run(entryOf(FILE, 'stashLast'), [
      ['sensors/raw', { temperature: 25, sensor: 'A1' }],
      ['sensors/raw', { temperature: 28, sensor: 'A1' }],
    ]);
    expect(payloads).toEqual([
      { current: 25, previous: null, sensor: 'A1' },
      { current: 28, previous: 25, sensor: 'A1' },
    ]);
  });

  it('multiple stashes keep raw and processed history apart', async () => {
    const { payloads } = await run(entryOf(FILE, 'multipleStashes'), [
      ['sensors/complex', { reading: 10, sensor_id: 'S1' }],
      ['sensors/complex', { reading: 15, sensor_id: 'S1' }],
    ]);
    // The comment assumes "processed" holds step 2's result, but the stash is rule 4 and holds rule 3's
    // output, which has no doubled_value or sensor_name. And after rule 2 the payload has no `reading`, so
    // raw_reading and raw_change have no value. JSONata leaves fields without a value out.
    expect(payloads).toEqual([
      {
        current: { processed_value: 20, sensor: 'S1' },
        previous: { raw_reading: null, processed_value: null, sensor: null },
        comparison: { raw_change: 0, processed_change: 0 },
      },
      {
        current: { processed_value: 30, sensor: 'S1' },
        previous: { raw_reading: 10 },
        comparison: {},
      },
    ]);
  });

  it('simple comparison', async () => {
    const { payloads } = await run(entryOf(FILE, 'simpleComparison'), [
      ['values/simple', { value: 100 }],
      ['values/simple', { value: 150 }],
    ]);
    // The comment says {"value": 100} is stashed, but the stash follows the transform and holds
    // {"current": 100, "previous": null}, which has no `value`: previous has no value and is left out.
    expect(payloads).toEqual([{ current: 100, previous: null }, { current: 150 }]);
  });

  it('per-station counter: one stash per mapping entry, shared by every topic of its wildcard', async () => {
    const { outputs } = await run(entryOf(FILE, 'perStationCounter'), [
      ['stations/A/events', { type: 'start', timestamp: '2025-10-29T10:00:00Z' }],
      ['stations/B/events', { type: 'complete', timestamp: '2025-10-29T10:00:01Z' }],
      ['stations/A/events', { type: 'error', timestamp: '2025-10-29T10:00:02Z' }],
    ]);
    expect(outputs.map((m) => [m.topic, m.payload])).toEqual([
      ['analytics/station_events', { station: 'A', event_number: 1, event_type: 'start', timestamp: '2025-10-29T10:00:00Z' }],
      ['analytics/station_events', { station: 'B', event_number: 1, event_type: 'complete', timestamp: '2025-10-29T10:00:01Z' }],
      ['analytics/station_events', { station: 'A', event_number: 2, event_type: 'error', timestamp: '2025-10-29T10:00:02Z' }],
    ]);
  });
});

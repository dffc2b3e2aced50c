// Every input → output example of gallery/02_data-processing/03_parse: endpoint rule chains on raw bytes.
import { describe, expect, it } from 'vitest';
import { entryOf, run } from './fixtures/gallery.js';

const FILE = 'gallery/02_data-processing/03_parse/service.scf.yaml';
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

async function endpoint(resource: string, bytes: Uint8Array, topic = 'endpoint/raw', filter = topic) {
  return run(entryOf(FILE, resource, 0, filter), [[topic, bytes]]);
}

describe('gallery: parse', () => {
  it('level 1: utf8 bytes of a CSV line', async () => {
    const bytes = Uint8Array.from([0x54, 0x45, 0x4d, 0x50, 0x30, 0x31, 0x2c, 0x32, 0x33, 0x2e, 0x35]);
    const { payloads } = await endpoint('csv_sensor_endpoint', bytes);
    expect(payloads).toEqual([{ sensor: 'TEMP01', value: 23.5, timestamp: ISO }]);
  });

  it('level 2: int16BE register scaled by 10', async () => {
    const { payloads } = await endpoint('modbus_temperature_endpoint', Uint8Array.from([0x03, 0x20]));
    expect(payloads).toEqual([80]);
  });

  it('level 3: uint16BE counter', async () => {
    const { payloads } = await endpoint('s7_counter_endpoint', Uint8Array.from([0x01, 0x00]));
    expect(payloads).toEqual([{ counter: 256, plc_type: 's7', timestamp: ISO }]);
  });

  it('level 4: the first int16BE of a 20-byte block', async () => {
    const block = new Uint8Array(20);
    block.set([0x09, 0xc4, 0x0a, 0x28, 0x09, 0xf6]);
    const { payloads } = await endpoint('s7_multisensor_endpoint', block);
    expect(payloads).toEqual([{ temperature: 25, sensor_block: 'DB2', status: 'active' }]);
  });

  it('level 5: base64 text, device from the topic', async () => {
    const { payloads } = await endpoint('lorawan_endpoint', Buffer.from('SGVsbG8gV29ybGQ='), 'lorawan/DEV001/uplink', 'lorawan/+/uplink');
    expect(payloads).toEqual([{ device: 'DEV001', payload: 'Hello World', length: 11, decoded: 'base64_to_text' }]);
  });

  it('level 6: floatBE', async () => {
    const { payloads } = await endpoint('opcua_temperature_endpoint', Uint8Array.from([0x42, 0x20, 0x00, 0x00]));
    expect(payloads).toEqual([{ temperature: 40, unit: 'celsius', source: 'opcua' }]);
  });

  it('level 7: a JSON string', async () => {
    const { payloads } = await endpoint('http_api_endpoint', Buffer.from('{"data": [{"id": 1, "value": 23.5}], "status": "ok"}'));
    expect(payloads).toEqual([{ sensors: [{ id: 1, value: 23.5 }], api_status: 'ok', timestamp: ISO }]);
  });

  it('bonus: resilient parsing takes the error branch for an empty payload', async () => {
    const entry = entryOf(FILE, 'resilient_parsing_endpoint', 0, 'sensors/mixed/+/data');
    const { payloads } = await run(entry, [
      ['sensors/mixed/DEV001/data', Buffer.from('sensor_data')],
      ['sensors/mixed/DEV001/data', new Uint8Array(0)],
    ]);
    expect(payloads).toEqual([
      { device: 'DEV001', data: 'sensor_data', parsed: true, timestamp: ISO },
      { device: 'DEV001', error: 'Parse failed or empty payload', parsed: false, timestamp: ISO },
    ]);
  });

  it('bytes too short for the format are a dead letter, and the next message still goes through', async () => {
    const { payloads, deadLetters, metrics } = await run(entryOf(FILE, 'modbus_temperature_endpoint'), [
      ['endpoint/raw', Uint8Array.from([0x03])],
      ['endpoint/raw', Uint8Array.from([0x00, 0x64])],
    ]);
    expect(payloads).toEqual([10]);
    expect(deadLetters[0]!.error.message).toContain('needs 2 bytes, got 1');
    expect(deadLetters[0]!.rule).toEqual({ index: 0, type: 'parse' });
    expect(metrics).toMatchObject({ in: 2, out: 1, errored: 1, rules: [{ type: 'parse', errored: 1 }, { type: 'transform', errored: 0 }] });
  });
});

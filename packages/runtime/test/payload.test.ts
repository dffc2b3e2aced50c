import { describe, expect, it } from 'vitest';
import { dataMessageJson, payloadBytes } from '../src/_internal/payload.js';

describe('payloadBytes', () => {
  it('writes data messages exactly as JSON.stringify does', () => {
    const values = [0, -0, 1.5, -273.15, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, null, true, 'a "quoted"\n\u2028 text', [1, 'x'], { nested: { a: 1 } }, new Date(0)];
    const messages: Record<string, unknown>[] = [];
    for (const value of values) {
      messages.push({ timestamp: 1_795_699_636_362, value });
      messages.push({ timestamp: 1_795_699_636_362.5, value, statusCode: 'Good' });
      messages.push({ timestamp: 1, value, statusCode: 'BadNoCommunication', sourceTimestamp: 1_795_699_636_300 });
      messages.push({ timestamp: 1, value, sourceTimestamp: Number.NaN });
      messages.push({ timestamp: 1, value, statusCode: undefined, sourceTimestamp: undefined });
    }
    for (const message of messages) {
      expect(dataMessageJson(message)).toBe(JSON.stringify(message));
      expect(payloadBytes(message).toString('utf8')).toBe(JSON.stringify(message));
    }
  });

  it('leaves every other shape to JSON.stringify', () => {
    const others: unknown[] = [
      { value: 1, timestamp: 1 },
      { timestamp: 1 },
      { timestamp: '1', value: 1 },
      { timestamp: 1, value: undefined },
      { timestamp: 1, value: 1, statusCode: 'Good', sourceTimestamp: 2, extra: true },
      { timestamp: 1, value: 1, sourceTimestamp: 2, statusCode: 'Good' },
      { timestamp: 1, value: 1, statusCode: 7 },
      Object.assign(Object.create({ inherited: 1 }), { timestamp: 1, value: 1 }),
      [1, 2],
      null,
    ];
    for (const payload of others) {
      expect(dataMessageJson(payload)).toBeUndefined();
      expect(payloadBytes(payload).toString('utf8')).toBe(JSON.stringify(payload));
    }
  });
});

import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Message } from '@iiot/core';
import { PARSE_FORMATS, cov, isTruthy, parsePayload } from '../src/index.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('parse formats', () => {
  it.each([
    ['boolean', bytes(0), false],
    ['boolean', bytes(2, 0), true],
    ['int8', bytes(0xff), -1],
    ['uint8', bytes(0xff), 255],
    ['int16BE', bytes(0xff, 0xfe), -2],
    ['uint16LE', bytes(0x01, 0x02), 0x0201],
    ['int32BE', bytes(0xff, 0xff, 0xff, 0xfe), -2],
    ['int32LE', bytes(0xfe, 0xff, 0xff, 0xff), -2],
    ['uint32BE', bytes(0xff, 0xff, 0xff, 0xff), 4294967295],
    ['uint32LE', bytes(0x01, 0, 0, 0), 1],
    ['floatLE', bytes(0, 0, 0x20, 0x42), 40],
    ['doubleBE', bytes(0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18), Math.PI],
    ['doubleLE', bytes(0x18, 0x2d, 0x44, 0x54, 0xfb, 0x21, 0x09, 0x40), Math.PI],
    ['latin1', bytes(0x47, 0xe4, 0x72), 'Gär'],
    ['ascii', bytes(0x4f, 0x4b), 'OK'],
    ['utf8', 'already text', 'already text'],
    ['json', bytes(0x5b, 0x31, 0x5d), [1]],
    ['json', { already: 'a value' }, { already: 'a value' }],
    ['toBase64', Buffer.from('Hello World'), 'SGVsbG8gV29ybGQ='],
    ['fromBase64', 'SGVsbG8gV29ybGQ=', 'Hello World'],
  ] as const)('%s of %j', (format, payload, expected) => {
    expect(parsePayload(payload, format)).toEqual(expected);
  });

  it.each([
    ['doubleBE', bytes(1, 2, 3), 'needs 8 bytes, got 3'],
    ['boolean', bytes(), 'needs 1 byte, got 0'],
    ['fromBase64', 'not base64!', 'not base64'],
    ['json', bytes(0x7b), 'JSON'],
    ['uint8', [1, 2], 'needs bytes or text, got an array'],
  ] as const)('%s fails for %j', (format, payload, message) => {
    expect(() => parsePayload(payload, format)).toThrow(message);
  });

  it('knows every format the reference design lists', () => {
    expect(PARSE_FORMATS).toHaveLength(21);
  });
});

describe('cov deadbands', () => {
  const run = async (options: Parameters<typeof cov>[0], values: unknown[]) => {
    const messages: Message[] = values.map((payload) => ({ topic: 't', payload, timestamp: 0 }));
    const out = await lastValueFrom(from(messages).pipe(cov(options), toArray()));
    return out.map((m) => m.payload);
  };

  it('an absolute deadband passes a change of exactly the deadband', async () => {
    expect(await run({ key: 'v', deadband: 1 }, [{ v: 1 }, { v: 1.5 }, { v: 2 }, { v: 2.9 }])).toEqual([{ v: 1 }, { v: 2 }]);
  });

  it('a relative deadband from zero passes any change', async () => {
    expect(await run({ key: 'v', deadband: 10, deadbandMode: 'relative' }, [{ v: 0 }, { v: 0 }, { v: 0.001 }, { v: -0.001 }])).toEqual([
      { v: 0 },
      { v: 0.001 },
      { v: -0.001 },
    ]);
  });

  it('reaches nested fields by dotted path, and a missing key counts as a value', async () => {
    expect(await run({ key: 'a.b' }, [{ a: { b: 1 } }, { a: { b: 1 } }, { a: {} }, {}, { a: { b: 2 } }])).toEqual([
      { a: { b: 1 } },
      { a: {} },
      { a: { b: 2 } },
    ]);
  });

  it('compares non-numbers exactly even with a deadband', async () => {
    expect(await run({ key: 'v', deadband: 5 }, [{ v: 'a' }, { v: 'a' }, { v: 'b' }])).toEqual([{ v: 'a' }, { v: 'b' }]);
  });
});

describe('filter truthiness', () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    ['x', true],
    ['', false],
    [null, false],
    [undefined, false],
    [[], false],
    [[0], false],
    [[0, 1], true],
    [{}, false],
    [{ a: 0 }, true],
  ])('%j → %s', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });
});

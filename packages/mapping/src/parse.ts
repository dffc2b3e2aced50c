import type { OperatorFunction } from 'rxjs';
import type { Message } from '@iiot/core';
import { MappingError } from './errors.js';
import { ruleOperator, type RuleOperatorOptions } from './_internal/rule-operator.js';
import { type RulePlan, withPayload } from './_internal/step.js';
import type { ParseFormat } from './types.js';

/** Options of the `parse` rule. */
export interface ParseOptions extends RuleOperatorOptions {
  format: ParseFormat;
}

type NumberReader = readonly [bytes: number, read: (view: DataView) => number];

const NUMBERS: Readonly<Record<string, NumberReader>> = {
  int8: [1, (v) => v.getInt8(0)],
  uint8: [1, (v) => v.getUint8(0)],
  int16BE: [2, (v) => v.getInt16(0)],
  int16LE: [2, (v) => v.getInt16(0, true)],
  uint16BE: [2, (v) => v.getUint16(0)],
  uint16LE: [2, (v) => v.getUint16(0, true)],
  int32BE: [4, (v) => v.getInt32(0)],
  int32LE: [4, (v) => v.getInt32(0, true)],
  uint32BE: [4, (v) => v.getUint32(0)],
  uint32LE: [4, (v) => v.getUint32(0, true)],
  floatBE: [4, (v) => v.getFloat32(0)],
  floatLE: [4, (v) => v.getFloat32(0, true)],
  doubleBE: [8, (v) => v.getFloat64(0)],
  doubleLE: [8, (v) => v.getFloat64(0, true)],
};

const TEXT = { utf8: 'utf8', latin1: 'latin1', ascii: 'ascii' } as const;
const OTHER = ['json', 'boolean', 'toBase64', 'fromBase64'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Every format the `parse` rule knows. */
export const PARSE_FORMATS: readonly ParseFormat[] = [...Object.keys(TEXT), ...OTHER, ...Object.keys(NUMBERS)] as ParseFormat[];

function bytesOf(payload: unknown, format: string): Buffer {
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  throw new Error(`format ${format} needs bytes or text, got ${Array.isArray(payload) ? 'an array' : typeof payload}`);
}

/** Decodes one payload; throws for bytes that do not fit the format. */
export function parsePayload(payload: unknown, format: ParseFormat): unknown {
  const number = NUMBERS[format];
  if (number) {
    const bytes = bytesOf(payload, format);
    if (bytes.length < number[0]) throw new Error(`format ${format} needs ${number[0]} bytes, got ${bytes.length}`);
    return number[1](new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  switch (format) {
    case 'utf8':
    case 'latin1':
    case 'ascii':
      return typeof payload === 'string' ? payload : bytesOf(payload, format).toString(TEXT[format]);
    case 'json':
      if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) return payload;
      return JSON.parse(typeof payload === 'string' ? payload : bytesOf(payload, format).toString('utf8'));
    case 'boolean': {
      if (typeof payload === 'boolean') return payload;
      const bytes = bytesOf(payload, format);
      if (bytes.length === 0) throw new Error('format boolean needs 1 byte, got 0');
      return bytes[0] !== 0;
    }
    case 'toBase64':
      return bytesOf(payload, format).toString('base64');
    case 'fromBase64': {
      const text = bytesOf(payload, format).toString('utf8').replace(/\s+/g, '');
      if (!BASE64.test(text) || text.length % 4 === 1) throw new Error('the payload is not base64 text');
      return Buffer.from(text, 'base64').toString('utf8');
    }
    default:
      throw new Error(`unknown format ${String(format)}`);
  }
}

/** Plans a `parse` rule. */
export function parseRule(options: { format: ParseFormat }, where: string): RulePlan {
  const format = options?.format;
  if (!PARSE_FORMATS.includes(format)) {
    throw new MappingError('RULE_INVALID', `${where} has format "${String(format)}"; use one of ${PARSE_FORMATS.join(', ')}.`);
  }
  return {
    type: 'parse',
    create: (_state, ref) => ({ ref, process: (message) => withPayload(message, parsePayload(message.payload, format)) }),
  };
}

/** Turns bytes into a value: JSON, text, booleans, integers and floats of either byte order, base64. */
export function parse(options: ParseOptions): OperatorFunction<Message, Message> {
  return ruleOperator(parseRule(options, 'The parse rule'), options);
}

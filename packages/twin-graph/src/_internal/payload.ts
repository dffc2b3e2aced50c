import type { Message } from '@iiot/core';
import { isQuality, type Quality } from '../quality.js';
import type { SourceSpec } from './model.js';

/** What a message says about one process variable. */
export interface Sample {
  value: unknown;
  timestamp: number;
  quality: Quality;
}

const decoder = new TextDecoder();

function decode(payload: unknown): unknown {
  if (!(payload instanceof Uint8Array)) return payload;
  const text = decoder.decode(payload);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a sample from a message: bytes are parsed as JSON when they are JSON; an object payload with a
 * `value` field (the endpoint form `{ timestamp, value }`) gives that value, its `timestamp` and an optional
 * `quality` code; the source's `value` expression, when given, picks the value instead. Throws when it fails.
 */
export function readSample(message: Message, vars: Readonly<Record<string, string>>, spec: SourceSpec): Sample {
  const payload = decode(message.payload);
  const record = isRecord(payload) ? payload : undefined;
  const timestamp = typeof record?.timestamp === 'number' ? record.timestamp : message.timestamp;
  const quality = isQuality(record?.quality) ? record.quality : 'Good';
  let value: unknown;
  if (spec.value) {
    value = spec.value.evaluate(payload, { context: { topic: message.topic, vars, timestamp: message.timestamp } });
  } else value = record && 'value' in record ? record.value : payload;
  return { value: value ?? null, timestamp, quality };
}

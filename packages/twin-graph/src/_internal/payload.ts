import type { Message, TopicVars } from '@iiot/core';
import { isQuality, type Quality, RANKS } from '../quality.js';
import { type Model, NONE, type SourceSpec } from './model.js';
import type { GraphState } from './state.js';

/** What a message says about one process variable. */
interface Sample {
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
function readSample(message: Message, vars: Readonly<Record<string, string>>, spec: SourceSpec): Sample {
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

const NO_VARS: TopicVars = Object.freeze({});

/** Routes messages to the sources bound to their topics and stores the samples; returns how many were taken. */
export function takeMessages(model: Model, state: GraphState, messages: readonly Message[], now: number, touch: (node: number) => void): number {
  let taken = 0;
  const take = (message: Message, node: number, vars: TopicVars) => {
    try {
      const sample = readSample(message, vars, model.source[node]!);
      state.raw[node] = sample.value;
      state.time[node] = sample.timestamp;
      state.sourceRank[node] = RANKS.of(sample.quality);
    } catch {
      state.raw[node] = null;
      state.sourceRank[node] = RANKS.of('Bad_CalculationError');
    }
    state.received[node] = now;
    state.stale[node] = 0;
    state.awaitingRefresh[node] = 0;
    touch(node);
    taken++;
  };
  for (const message of messages) {
    for (const node of model.exactTopics.get(message.topic) ?? NONE) take(message, node, NO_VARS);
    if (model.topics.size) for (const { value, vars } of model.topics.match(message.topic)) take(message, value, vars);
  }
  return taken;
}

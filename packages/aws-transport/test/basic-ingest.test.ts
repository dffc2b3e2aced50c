import { describe, expect, it } from 'vitest';
import type { Message } from '@iiot/core';
import { basicIngestTopic, checkAwsTopic, createBasicIngestSink } from '../src/index.js';

describe('Basic Ingest', () => {
  it('prefixes topics with $aws/rules/<rule>/ and keeps the 7-slash allowance after it', () => {
    const topic = basicIngestTopic('plant_telemetry', 'site/hall/line/cell/machine/axis/sensor/value');
    expect(topic).toBe('$aws/rules/plant_telemetry/site/hall/line/cell/machine/axis/sensor/value');
    expect(checkAwsTopic(topic)).toBeUndefined();
  });

  it('refuses rule names AWS does not allow', () => {
    expect(() => basicIngestTopic('plant-telemetry', 'x')).toThrow(expect.objectContaining({ code: 'AWS_CONFIG_INVALID' }));
  });

  it('rewrites every message of a sink to the rule', async () => {
    const seen: Message[] = [];
    const sink = createBasicIngestSink({ ruleName: 'r1', transport: { publish: async (m) => void seen.push(m) } });
    await sink.publish({ topic: 'a/b', payload: 1, timestamp: 5 });
    expect(seen).toEqual([{ topic: '$aws/rules/r1/a/b', payload: 1, timestamp: 5 }]);
  });
});

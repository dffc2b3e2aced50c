import { describe, expect, it } from 'vitest';
import { checkAwsPublish, checkAwsTopic, checkClientId, clampKeepalive } from '../src/index.js';

describe('AWS IoT limits', () => {
  it('accepts a topic of 7 slashes and refuses one of 8', () => {
    expect(checkAwsTopic('a/b/c/d/e/f/g/h')).toBeUndefined();
    expect(checkAwsTopic('a/b/c/d/e/f/g/h/i')?.code).toBe('AWS_TOPIC_TOO_DEEP');
  });

  it('does not count a Basic Ingest prefix against the slash and byte limits', () => {
    expect(checkAwsTopic('$aws/rules/myRule/a/b/c/d/e/f/g/h')).toBeUndefined();
    expect(checkAwsTopic(`$aws/rules/myRule/${'x'.repeat(256)}`)).toBeUndefined();
    expect(checkAwsTopic(`$aws/rules/myRule/${'x'.repeat(257)}`)?.code).toBe('AWS_TOPIC_TOO_LONG');
  });

  it('measures topics in UTF-8 bytes', () => {
    expect(checkAwsTopic('ü'.repeat(128))).toBeUndefined();
    expect(checkAwsTopic(`${'ü'.repeat(128)}x`)?.code).toBe('AWS_TOPIC_TOO_LONG');
  });

  it('refuses reserved $ topics but allows shadow, jobs and Basic Ingest', () => {
    expect(checkAwsTopic('$SYS/broker/load')?.code).toBe('AWS_TOPIC_RESERVED');
    expect(checkAwsTopic('$aws/events/presence/connected/x')?.code).toBe('AWS_TOPIC_RESERVED');
    expect(checkAwsTopic('$aws/rules/bad-name!/x')?.code).toBe('AWS_TOPIC_RESERVED');
    expect(checkAwsTopic('$aws/things/pump-1/shadow/name/config/update')).toBeUndefined();
    expect(checkAwsTopic('$aws/things/pump-1/jobs/get')).toBeUndefined();
  });

  it('refuses wildcards in publish topics', () => {
    expect(checkAwsTopic('plant/+/temp')?.code).toBe('AWS_TOPIC_INVALID');
  });

  it('refuses QoS 2 and payloads over 131072 bytes, with a reason that says what to do', () => {
    expect(checkAwsPublish('a', 10, 2)).toMatchObject({ code: 'AWS_QOS_UNSUPPORTED', reason: expect.stringContaining('QoS 1') });
    expect(checkAwsPublish('a', 131_072, 1)).toBeUndefined();
    expect(checkAwsPublish('a', 131_073, 1)).toMatchObject({ code: 'AWS_PAYLOAD_TOO_LARGE', reason: expect.stringContaining('131073') });
  });

  it('checks client ids and clamps the keep-alive', () => {
    expect(checkClientId('$bridge')).toMatch(/\$/);
    expect(checkClientId('x'.repeat(129))).toMatch(/128/);
    expect(checkClientId('gateway-1')).toBeUndefined();
    expect(clampKeepalive(5)).toBe(30);
    expect(clampKeepalive(5000)).toBe(1200);
    expect(clampKeepalive(300)).toBe(300);
  });
});

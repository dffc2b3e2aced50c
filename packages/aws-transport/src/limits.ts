import { checkTopicName, type Message, type QoS } from '@iiot/core';
import type { AwsLimitCode } from './errors.js';

/** AWS IoT Core's documented per-message and per-connection limits. */
export const AWS_IOT_LIMITS = {
  /** Largest payload AWS accepts; a larger publish closes the connection. */
  maxPayloadBytes: 131_072,
  /** Largest topic in UTF-8 bytes, not counting a `$aws/rules/<rule>/` prefix. */
  maxTopicBytes: 256,
  /** Most slashes in a topic, not counting a `$aws/rules/<rule>/` prefix. */
  maxTopicSlashes: 7,
  /** Longest client id in bytes. */
  maxClientIdBytes: 128,
  /** Publishes per second per connection (inbound and outbound together); the excess is silently dropped. */
  publishesPerSecond: 100,
  /** Bytes per second per connection; the excess is delayed. */
  bytesPerSecond: 512 * 1024,
  /** Topic filters per SUBSCRIBE packet. */
  subscribeBatchSize: 8,
  /** Keep-alive range in seconds; AWS clamps values outside it. */
  minKeepaliveSeconds: 30,
  maxKeepaliveSeconds: 1200,
} as const;

/** A message that breaks a limit, and why, in words that say what to do. */
export interface LimitViolation {
  code: AwsLimitCode;
  reason: string;
}

const RULES_PREFIX = /^\$aws\/rules\/([^/]+)\//;

// Reserved topics a device may publish to; every other `$` topic closes the connection.
const ALLOWED_RESERVED = [
  /^\$aws\/rules\/[A-Za-z0-9_]+\/./,
  /^\$aws\/things\/[^/]+\/shadow\//,
  /^\$aws\/things\/[^/]+\/jobs\//,
  /^\$aws\/things\/[^/]+\/defender\/metrics\//,
  /^\$aws\/things\/[^/]+\/tunnels\//,
  /^\$aws\/certificates\/create(-from-csr)?\//,
  /^\$aws\/provisioning-templates\/[^/]+\/provision\//,
  /^\$aws\/sitewise\//,
];

/** The part of a topic AWS measures: everything after an optional Basic Ingest `$aws/rules/<rule>/` prefix. */
export function measuredTopic(topic: string): string {
  return topic.replace(RULES_PREFIX, '');
}

/** Why AWS IoT would refuse a publish to `topic`, or `undefined` when it would accept it. */
export function checkAwsTopic(topic: string): LimitViolation | undefined {
  const invalid = checkTopicName(topic);
  if (invalid) return { code: 'AWS_TOPIC_INVALID', reason: `${invalid}; publish to a concrete topic` };
  if (topic.startsWith('$') && !ALLOWED_RESERVED.some((re) => re.test(topic))) {
    return {
      code: 'AWS_TOPIC_RESERVED',
      reason: 'topics starting with $ are reserved by AWS IoT (only shadow, jobs, Basic Ingest and similar are allowed); drop the $',
    };
  }
  const measured = measuredTopic(topic);
  const bytes = Buffer.byteLength(measured);
  if (bytes > AWS_IOT_LIMITS.maxTopicBytes) {
    return {
      code: 'AWS_TOPIC_TOO_LONG',
      reason: `the topic is ${bytes} bytes, AWS IoT allows ${AWS_IOT_LIMITS.maxTopicBytes}; shorten its levels`,
    };
  }
  let slashes = 0;
  for (let i = 0; i < measured.length; i++) if (measured.charCodeAt(i) === 47) slashes++;
  if (slashes > AWS_IOT_LIMITS.maxTopicSlashes) {
    return {
      code: 'AWS_TOPIC_TOO_DEEP',
      reason: `the topic has ${slashes} slashes, AWS IoT allows ${AWS_IOT_LIMITS.maxTopicSlashes} (8 levels); merge levels or move detail into the payload`,
    };
  }
  return undefined;
}

/** Why AWS IoT would refuse to publish `payloadBytes` bytes at `qos` to `topic`, or `undefined`. */
export function checkAwsPublish(topic: string, payloadBytes: number, qos: QoS = 0): LimitViolation | undefined {
  if (qos === 2) {
    return { code: 'AWS_QOS_UNSUPPORTED', reason: 'AWS IoT supports QoS 0 and 1 only and closes the connection on QoS 2; use QoS 1' };
  }
  if (payloadBytes > AWS_IOT_LIMITS.maxPayloadBytes) {
    return {
      code: 'AWS_PAYLOAD_TOO_LARGE',
      reason: `the payload is ${payloadBytes} bytes, AWS IoT allows ${AWS_IOT_LIMITS.maxPayloadBytes}; split it or send it to S3`,
    };
  }
  return checkAwsTopic(topic);
}

/** `checkAwsPublish` for a whole message whose payload is already encoded. */
export function checkAwsMessage(message: Message, payload: Uint8Array): LimitViolation | undefined {
  return checkAwsPublish(message.topic, payload.byteLength, message.qos ?? 0);
}

/** Why AWS IoT would refuse `clientId`, or `undefined` when it is acceptable. */
export function checkClientId(clientId: string): string | undefined {
  if (clientId.length === 0) return 'the client id is empty';
  if (clientId.startsWith('$')) return 'a client id may not start with $';
  const bytes = Buffer.byteLength(clientId);
  if (bytes > AWS_IOT_LIMITS.maxClientIdBytes) return `the client id is ${bytes} bytes, AWS IoT allows ${AWS_IOT_LIMITS.maxClientIdBytes}`;
  return undefined;
}

/** The keep-alive AWS IoT will actually use: values outside 30–1200 s are clamped. */
export function clampKeepalive(seconds: number): number {
  return Math.min(AWS_IOT_LIMITS.maxKeepaliveSeconds, Math.max(AWS_IOT_LIMITS.minKeepaliveSeconds, Math.round(seconds)));
}

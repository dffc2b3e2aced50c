import { IiotError } from './errors.js';
import { utf8Length } from './_internal/utf8.js';

/** The reason `topic` cannot be published to, or `undefined` when it can. */
export function checkTopicName(topic: string): string | undefined {
  if (topic.length === 0) return 'the topic is empty';
  if (topic.includes('+') || topic.includes('#')) return 'a topic to publish to may not contain + or #';
  if (topic.includes('\u0000')) return 'the topic contains a NUL character';
  if (utf8Length(topic) > 65_535) return 'the topic is longer than 65535 bytes';
  return undefined;
}

/** Throws `TOPIC_NAME_INVALID` unless `topic` is a valid MQTT topic name to publish to. */
export function assertTopicName(topic: string): void {
  const why = checkTopicName(topic);
  if (why !== undefined) {
    throw new IiotError('TOPIC_NAME_INVALID', `Cannot publish to "${topic.slice(0, 200)}": ${why}.`, {
      details: { topic: topic.slice(0, 200) },
    });
  }
}

import { MqttError } from '../errors.js';

// MQTT 5 PUBACK/PUBREC reason codes after which the same publish may succeed later.
const RETRYABLE_REASONS = new Set([0x89, 0x96, 0x97]);

/** Translates an error MQTT.js reported for one publish. */
export function publishError(error: Error, topic: string, where: string): MqttError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') {
    return new MqttError('MQTT_PUBLISH_REFUSED', `${where} refused the publish to "${topic}": ${error.message}. Check the topic and the broker's access rules.`, {
      retryable: RETRYABLE_REASONS.has(code),
      cause: error,
      details: { topic, reasonCode: code },
    });
  }
  return new MqttError('MQTT_CONNECTION_LOST', `The publish to "${topic}" at ${where} failed: ${error.message}. Send it again.`, {
    retryable: true,
    cause: error,
    details: { topic },
  });
}

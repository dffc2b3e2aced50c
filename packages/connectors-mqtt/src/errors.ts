import { IiotError, type IiotErrorOptions } from '@iiot/core';

/** Codes of the errors an MQTT connection raises; callers branch on these, never on message text. */
export type MqttErrorCode =
  /** The options cannot work (missing certificate, bad port …). Not retryable. */
  | 'MQTT_CONFIG_INVALID'
  /** The broker refused the credentials (bad user name or password, not authorized, banned). */
  | 'MQTT_AUTH_REFUSED'
  /** The broker answered CONNACK with another refusal (server unavailable, client id rejected …). */
  | 'MQTT_CONNECT_REFUSED'
  /** This client could not verify the broker's certificate (unknown CA, name mismatch, expired). */
  | 'MQTT_TLS_VERIFICATION_FAILED'
  /** The broker refused this client's certificate, or asked for one and got none. */
  | 'MQTT_TLS_CERTIFICATE_REJECTED'
  /** Another TLS failure (protocol mismatch, TLS spoken to a plain port …). */
  | 'MQTT_TLS_HANDSHAKE_FAILED'
  /** Nothing answers at the host and port (refused, no route, unknown host). */
  | 'MQTT_HOST_UNREACHABLE'
  /** No CONNACK within connectTimeout, or no PINGRESP within the keep-alive. */
  | 'MQTT_TIMEOUT'
  /** An established connection (or one being set up) closed. */
  | 'MQTT_CONNECTION_LOST'
  /** A publish while the connection is not up; nothing was queued. */
  | 'MQTT_NOT_CONNECTED'
  /** The broker acknowledged a publish with an error reason code (MQTT 5). */
  | 'MQTT_PUBLISH_REFUSED'
  /** The broker refused a subscription (SUBACK failure). */
  | 'MQTT_SUBSCRIBE_REFUSED'
  /** The connection was disconnected or closed by its owner. */
  | 'MQTT_CLOSED';

/** The error every MQTT connection failure is translated into. */
export class MqttError extends IiotError<MqttErrorCode> {
  constructor(code: MqttErrorCode, message: string, options: IiotErrorOptions = {}) {
    super(code, message, options);
  }
}

/** True when `error` is an `MqttError`, optionally with the given code. */
export function isMqttError(error: unknown, code?: MqttErrorCode): error is MqttError {
  return error instanceof MqttError && (code === undefined || error.code === code);
}

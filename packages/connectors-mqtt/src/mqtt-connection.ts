import type { Message, MessageSink, MessageSource, QoS, Subscribable } from '@iiot/core';
import type { IPublishPacket } from 'mqtt';
import { ConnectionCore } from './_internal/connection-core.js';
import type { PayloadFormat } from './_internal/payload.js';
import { resolveOptions } from './_internal/resolve-options.js';
import type { MqttError } from './errors.js';
import type { MqttConnectionOptions } from './options.js';

export type { PayloadFormat };

/** Where a connection is in its life. */
export type MqttConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A snapshot of a connection's state, for status output and health checks. */
export interface MqttConnectionStatus {
  readonly state: MqttConnectionState;
  /** When it entered this state (ms since the epoch, by the connection's clock). */
  readonly since: number;
  /** Failed attempts counted by the backoff since it was last reset. */
  readonly failedAttempts: number;
  /** When the next attempt starts, while waiting to reconnect. */
  readonly nextAttemptAt?: number;
  /** Whether the broker resumed a stored session on the last CONNACK. */
  readonly sessionPresent?: boolean;
  /** The last failure, kept after a recovery for diagnosis; secrets are not in it. */
  readonly lastError?: MqttError;
}

/** How long ago messages last moved, so a connection that is up but silent shows. */
export interface MqttLiveness {
  /** Messages received (PUBLISH from the broker) since the connection was created. */
  readonly received: number;
  /** Publishes acknowledged (QoS 1/2) or written (QoS 0) since the connection was created. */
  readonly sent: number;
  readonly lastReceivedAt?: number;
  readonly lastSentAt?: number;
  /** Milliseconds since the last received message. */
  readonly receivedAgeMs?: number;
  /** Milliseconds since the last acknowledged publish. */
  readonly sentAgeMs?: number;
}

/** Options of one subscription. */
export interface SubscribeOptions {
  /** The QoS asked of the broker; subscribers sharing a filter get the highest one asked. @default 0 */
  qos?: QoS;
  /** What `payload` holds: the bytes, UTF-8 text, or parsed JSON (bytes when it does not parse). @default 'bytes' */
  payload?: PayloadFormat;
}

/** Options of one publish beyond what the message carries. */
export interface MqttPublishOptions {
  /** MQTT 5 publish properties (user properties, message expiry, content type …). */
  properties?: IPublishPacket['properties'];
}

/** One MQTT connection: a source of messages, a sink for them, with its state and liveness. */
export interface MqttConnection extends MessageSink {
  /** `scheme://host:port` of the broker. */
  readonly endpoint: string;
  readonly clientId: string;
  /** The state now and every change after, starting with the current one. Works with RxJS `from()`. */
  readonly status$: Subscribable<MqttConnectionStatus>;
  /** The state now. */
  status(): MqttConnectionStatus;
  /** Counts and ages of the last message received and sent. */
  liveness(): MqttLiveness;
  /**
   * Starts connecting and keeps the connection up, reconnecting with the backoff of `connectionStrategy`.
   * Resolves once connected. Rejects when an attempt fails in a way retrying cannot fix (refused credentials or
   * certificates) before the first success since `connect()`; the connection then stays disconnected. After
   * a first success every failure is retried.
   */
  connect(): Promise<void>;
  /** Sends DISCONNECT (so the broker does not publish the will) and stays down until `connect()`. */
  disconnect(): Promise<void>;
  /** Disconnects for good and completes every subscription and `status$`. */
  close(): Promise<void>;
  /**
   * Messages on `filter` (MQTT filter with named wildcards, `+machine/#rest`), with the captures in `vars`.
   * Subscribing at the broker starts with the first subscriber; subscribers of the same plain filter share one
   * MQTT subscription. Subscriptions made while offline are made once connected, and again whenever a
   * connection starts without a stored session.
   */
  subscribe(filter: string, options?: SubscribeOptions): MessageSource;
  /**
   * Publishes one message with its `qos` (default 0) and `retain`. Resolves on the broker's PUBACK (QoS 1) or
   * PUBCOMP (QoS 2), or once written (QoS 0). While not connected it rejects at once with the retryable
   * `MQTT_NOT_CONNECTED` and keeps nothing; when the connection drops before the acknowledgement it rejects
   * with the retryable `MQTT_CONNECTION_LOST` (the message may or may not have arrived).
   */
  publish(message: Message, options?: MqttPublishOptions): Promise<void>;
}

/** Creates an MQTT connection (not yet connected; call `connect()`). Throws `MQTT_CONFIG_INVALID` on bad options. */
export function createMqttConnection(options: MqttConnectionOptions): MqttConnection {
  return new ConnectionCore(resolveOptions(options));
}

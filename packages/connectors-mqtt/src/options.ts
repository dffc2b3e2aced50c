import type { QoS } from '@iiot/core';
import type { IClientOptions } from 'mqtt';

/** How to reconnect: exponential backoff with full jitter, the reference design's `connectionStrategy`. */
export interface ConnectionStrategy {
  /** Upper bound of the first delay, in ms. @default 1000 */
  initialDelay?: number;
  /** Largest upper bound of a delay, in ms. @default 30000 */
  maxDelay?: number;
  /** Growth of the upper bound per failed attempt. @default 2 */
  incrementFactor?: number;
  /** A connection that stayed up this long (ms) starts the next backoff again from `initialDelay`. @default 10000 */
  stableAfter?: number;
}

/** The last will the broker publishes when this client vanishes without a DISCONNECT. */
export interface MqttWill {
  topic: string;
  payload: string | Uint8Array;
  /** @default 0 */
  qos?: QoS;
  /** @default false */
  retain?: boolean;
}

/** Time and timers, injectable so tests can check the backoff delays. */
export interface MqttClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Receives log lines; secrets are removed before they get here. */
export interface MqttLogger {
  debug?(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
  error?(message: string, details?: Record<string, unknown>): void;
}

/** The reference design's Mqtt connection properties, plus what a program needs to run and test one. */
export interface MqttConnectionOptions {
  /** Host name or address of the broker (never a URL). */
  host: string;
  /** @default 1883 for mqtt, 8883 for mqtts, 80 for ws, 443 for wss */
  port?: number;
  /** @default 'mqtt' */
  scheme?: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  /** Path of a WebSocket endpoint. @default '/mqtt' */
  path?: string;
  /** @default 'iiot-' followed by 12 random hex digits */
  clientId?: string;
  username?: string;
  password?: string;
  /** Seconds between PINGREQs when idle; 0 turns keep-alive off. @default 60 */
  keepalive?: number;
  /** Start a fresh session (true) or resume the broker's stored one (false). @default true */
  clean?: boolean;
  /** 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5. @default 4 */
  protocolVersion?: 3 | 4 | 5;
  will?: MqttWill;
  /** Present `clientCert` and `clientPrivateKey` in the TLS handshake. @default false */
  mutualAuthentication?: boolean;
  /** PEM text of the CA(s) that signed the broker's certificate. @default Node.js's built-in roots */
  caCert?: string;
  /** PEM text of this client's certificate (with its chain), for mutual authentication. */
  clientCert?: string;
  /** PEM text of this client's private key, for mutual authentication. */
  clientPrivateKey?: string;
  /** Accept any broker certificate. Only for tests and first commissioning. @default false */
  trustAllCertificates?: boolean;
  /** Reconnect backoff. */
  connectionStrategy?: ConnectionStrategy;
  /** Milliseconds to wait for CONNACK before the attempt counts as failed. @default 30000 */
  connectTimeout?: number;
  /**
   * Further MQTT.js client options passed through as they are: TLS options such as `ALPNProtocols` and
   * `servername`, `subscribeBatchSize`, MQTT 5 `properties` … Reconnect and queueing stay with this connection:
   * `reconnectPeriod`, `queueQoSZero`, `resubscribe`, `manualConnect` and `outgoingStore` are ignored.
   */
  mqttOptions?: Partial<IClientOptions>;
  /** @default the system clock and timers */
  clock?: MqttClock;
  /** Source of the backoff jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /** Where connection events are logged. @default no logging */
  logger?: MqttLogger;
}

/** Defaults of `connectionStrategy`, the reference design's values. */
export const DEFAULT_CONNECTION_STRATEGY: Readonly<Required<ConnectionStrategy>> = Object.freeze({
  initialDelay: 1000,
  maxDelay: 30_000,
  incrementFactor: 2,
  stableAfter: 10_000,
});

/** The system clock and timers. */
export const systemClock: MqttClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

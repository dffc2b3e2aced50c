import type { Message } from '@iiot/core';
import type { BatchingOptions } from './batcher.js';
import type { Clock } from './clock.js';
import type { AwsLimitCode } from './errors.js';
import type { ThrottleOptions } from './throttle.js';
import type { Pem } from './_internal/link.js';

/** A message that was not sent because AWS IoT would have refused it, with the reason. */
export interface DeadLetter {
  message: Message;
  code: AwsLimitCode;
  reason: string;
  /** Milliseconds since the epoch at which it was refused. */
  at: number;
}

export interface AwsIotTransportOptions {
  /** The endpoint host name only, never a URL (`<prefix>-ats.iot.<region>.amazonaws.com`, or a Greengrass core). */
  host: string;
  /** 8883, or 443 with ALPN `x-amzn-mqtt-ca`. @default 8883 */
  port?: number;
  /** Offer ALPN `x-amzn-mqtt-ca` (needed on port 443). @default port === 443 */
  alpn?: boolean;
  /** The client id; a pool of N connections uses `<clientId>-1` … `<clientId>-N`. */
  clientId: string;
  /** The device certificate (PEM). */
  cert: Pem;
  /** The device private key (PEM). Never logged. */
  key: Pem;
  /** Trusted roots. @default Amazon Root CA 1 and 3 */
  ca?: Pem;
  /** Keep-alive, clamped to AWS's 30–1200 s. @default 300 */
  keepaliveSeconds?: number;
  /** MQTT 3.1.1 (4) or 5. @default 4 */
  protocolVersion?: 4 | 5;
  /** QoS for messages that do not say. @default 1 */
  qos?: 0 | 1;
  /** Per-connection throttle. @default 100 publishes/s and 512 KiB/s, AWS IoT's limits */
  throttle?: Omit<ThrottleOptions, 'clock'>;
  /** Pack messages for one topic into JSON array publishes; `true` for the default budget. @default false */
  batching?: boolean | BatchingOptions;
  /** Connections to spread topics over, each topic always on the same one so its order is kept. @default 1 */
  connections?: number;
  /** Publishes awaiting acknowledgement per connection. @default 100 */
  maxInFlight?: number;
  /** Receives every message refused before sending. @default none (they are still counted) */
  deadLetter?: (letter: DeadLetter) => void;
  /**
   * Upper bound of the first reconnection delay (at least 1000, as AWS allows one CONNECT per second per client
   * id); the backoff then grows to 30 s. @default 2000
   */
  reconnectPeriodMs?: number;
  /** @default 10000 */
  connectTimeoutMs?: number;
  /** @default the system clock */
  clock?: Clock;
}

/** Counters and state for status output. */
export interface AwsIotTransportStatus {
  /** One entry per connection: its client id and whether it is up. */
  connections: { clientId: string; connected: boolean; queued: number; inFlight: number }[];
  /** Messages acknowledged by AWS IoT (each member of a batch counts). */
  delivered: number;
  /** MQTT publishes made (a batch counts once). */
  publishes: number;
  /** Messages waiting in open batches. */
  batching: number;
  /** Messages refused before sending, by reason. */
  rejected: Partial<Record<AwsLimitCode, number>>;
}

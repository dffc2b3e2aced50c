import { randomBytes } from 'node:crypto';
import type { IClientOptions } from 'mqtt';
import { MqttError } from '../errors.js';
import { NO_STORE } from './no-store.js';
import {
  type ConnectionStrategy,
  DEFAULT_CONNECTION_STRATEGY,
  type MqttClock,
  type MqttConnectionOptions,
  type MqttLogger,
  systemClock,
} from '../options.js';

/** Options checked, defaults applied, translated for MQTT.js. */
export interface ResolvedOptions {
  client: IClientOptions;
  endpoint: string;
  clientId: string;
  /** Values that must never appear in a log line or an error. */
  secrets: string[];
  strategy: Required<ConnectionStrategy>;
  clock: MqttClock;
  random: () => number;
  logger: MqttLogger;
}

const DEFAULT_PORTS = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 } as const;
// Reconnecting, queueing, re-subscribing and re-sending are this connection's job; MQTT.js must not do them too.
const OWNED = { reconnectPeriod: 0, queueQoSZero: false, resubscribe: false, manualConnect: false, outgoingStore: NO_STORE } as const;

/** Checks the options and builds the MQTT.js client options; throws `MQTT_CONFIG_INVALID` naming the field. */
export function resolveOptions(options: MqttConnectionOptions): ResolvedOptions {
  const scheme = options.scheme ?? 'mqtt';
  if (!(scheme in DEFAULT_PORTS)) invalid('scheme', `"${scheme}" is not one of mqtt, mqtts, ws, wss`);
  if (typeof options.host !== 'string' || options.host === '' || options.host.includes('://')) {
    invalid('host', 'give the host name or address only, not a URL');
  }
  const port = options.port ?? DEFAULT_PORTS[scheme];
  if (!Number.isInteger(port) || port < 1 || port > 65_535) invalid('port', `${port} is not a TCP port (1–65535)`);
  const protocolVersion = options.protocolVersion ?? 4;
  if (![3, 4, 5].includes(protocolVersion)) invalid('protocolVersion', `${protocolVersion} is not 3, 4 or 5`);
  const keepalive = options.keepalive ?? 60;
  if (!Number.isInteger(keepalive) || keepalive < 0 || keepalive > 65_535) {
    invalid('keepalive', `${keepalive} is not a whole number of seconds (0–65535)`);
  }
  if (options.mutualAuthentication && !(options.clientCert && options.clientPrivateKey)) {
    invalid('mutualAuthentication', 'it needs clientCert and clientPrivateKey (PEM text)');
  }
  const strategy = { ...DEFAULT_CONNECTION_STRATEGY, ...definedOnly(options.connectionStrategy ?? {}) };
  for (const key of ['initialDelay', 'maxDelay', 'stableAfter'] as const) {
    if (!(strategy[key] >= 0)) invalid(`connectionStrategy.${key}`, `${strategy[key]} is not a number of milliseconds`);
  }
  if (!(strategy.incrementFactor >= 1)) invalid('connectionStrategy.incrementFactor', 'it must be at least 1');
  if (strategy.maxDelay < strategy.initialDelay) invalid('connectionStrategy.maxDelay', 'it is below initialDelay');

  const clientId = options.clientId ?? `iiot-${randomBytes(6).toString('hex')}`;
  const secure = scheme === 'mqtts' || scheme === 'wss';
  const client: IClientOptions = {
    ...options.mqttOptions,
    protocol: scheme,
    host: options.host,
    port,
    clientId,
    keepalive,
    clean: options.clean ?? true,
    protocolVersion,
    connectTimeout: options.connectTimeout ?? 30_000,
    ...OWNED,
  };
  if (scheme === 'ws' || scheme === 'wss') client.path = options.path ?? '/mqtt';
  if (options.username !== undefined) client.username = options.username;
  if (options.password !== undefined) client.password = options.password;
  if (options.will) client.will = { qos: 0, retain: false, ...options.will, payload: Buffer.from(options.will.payload) };
  if (secure) {
    if (options.caCert) client.ca = options.caCert;
    if (options.mutualAuthentication) {
      client.cert = options.clientCert;
      client.key = options.clientPrivateKey;
    }
    client.rejectUnauthorized = !options.trustAllCertificates;
  }
  return {
    client,
    endpoint: `${scheme}://${options.host}:${port}`,
    clientId,
    secrets: [options.password, options.clientPrivateKey].filter((s): s is string => !!s),
    strategy,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    logger: options.logger ?? {},
  };
}

function invalid(field: string, why: string): never {
  throw new MqttError('MQTT_CONFIG_INVALID', `Invalid MQTT connection option ${field}: ${why}.`, { details: { field } });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import {
  assertTopicName,
  createSubscribable,
  type Message,
  type MessageSource,
  parseTopicFilter,
  type QoS,
  redact,
  redactText,
} from '@iiot/core';
import { connect as connectClient, type IConnackPacket, type IClientPublishOptions, type IDisconnectPacket, type MqttClient } from 'mqtt';
import { MqttError } from '../errors.js';
import type {
  MqttConnection,
  MqttConnectionStatus,
  MqttLiveness,
  MqttPublishOptions,
  SubscribeOptions,
} from '../mqtt-connection.js';
import type { MqttLogger } from '../options.js';
import { Backoff } from './backoff.js';
import {
  classifyConnectionError,
  closedByOwnerError,
  closedError,
  type ErrorContext,
  inFlightLostError,
  notConnectedError,
  publishError,
  serverDisconnectError,
  where,
} from './connection-errors.js';
import { InFlight } from './in-flight.js';
import { LivenessCounter } from './liveness.js';
import { encodePayload } from './payload.js';
import type { ResolvedOptions } from './resolve-options.js';
import { StatusSubject } from './status-subject.js';
import { SubscriptionTable } from './subscription-table.js';

/**
 * MQTT.js traces every packet through the `debug` package, several calls each, which costs measurable time per
 * message even when no trace is printed. It keeps tracing only when `DEBUG` asks for `mqttjs`.
 */
const mqttTrace = /mqttjs/.test(process.env.DEBUG ?? '') ? {} : { log: () => {} };

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** Topics remembered as valid to publish to; past this the memory is cleared and filled again. */
const VALID_TOPICS_SIZE = 10_000;

/** How long `disconnect()` waits for publishes in flight before it closes the socket anyway. */
const DRAIN_MS = 2000;

/** The long-lived state of one connection: one MQTT.js client per attempt, our own backoff, our own routing. */
export class ConnectionCore implements MqttConnection {
  readonly endpoint: string;
  readonly clientId: string;
  readonly #opts: ResolvedOptions;
  readonly #backoff: Backoff;
  readonly #status: StatusSubject<MqttConnectionStatus>;
  readonly #table: SubscriptionTable;
  readonly #inFlight = new InFlight();
  #waiters: Waiter[] = [];
  #client: MqttClient | undefined;
  #timer: unknown;
  #wanted = false;
  #closed = false;
  #everConnected = false;
  #connectedAt: number | undefined;
  #attemptError: MqttError | undefined;
  /** Whether the current attempt finished its TLS handshake. */
  #handshakeDone = false;
  readonly #liveness = new LivenessCounter();
  /** Topics already checked: publishing mostly repeats topics, and this is the hot path. */
  readonly #validTopics = new Set<string>();
  readonly #context: ErrorContext;

  constructor(opts: ResolvedOptions) {
    this.#opts = opts;
    this.endpoint = opts.endpoint;
    this.clientId = opts.clientId;
    this.#context = { endpoint: opts.endpoint, clientId: opts.clientId, secrets: opts.secrets };
    this.#backoff = new Backoff(opts.strategy, opts.random);
    this.#status = new StatusSubject<MqttConnectionStatus>({ state: 'disconnected', since: opts.clock.now(), failedAttempts: 0 });
    this.#table = new SubscriptionTable({
      refusal: (filter, reason) =>
        `${where(this.#context)} refused the subscription to "${filter}": ${reason}. Check the filter and the broker's access rules for this client.`,
      subscriberFailed: (error, topic) => this.#log('error', `A subscriber threw on a message from "${topic}"`, { error }),
    });
  }

  get status$() {
    return this.#status.observable;
  }

  status(): MqttConnectionStatus {
    return this.#status.value;
  }

  liveness(): MqttLiveness {
    return this.#liveness.snapshot(this.#opts.clock.now());
  }

  connect(): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError('connect'));
    if (this.#status.value.state === 'connected') return Promise.resolve();
    const connected = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#wanted) {
      this.#wanted = true;
      this.#everConnected = false;
      this.#backoff.reset();
      this.#attempt();
    }
    return connected;
  }

  async disconnect(): Promise<void> {
    this.#wanted = false;
    this.#opts.clock.clearTimeout(this.#timer);
    this.#settleWaiters(this.#closedError('connect'));
    const client = this.#client;
    if (client?.connected) await this.#inFlight.drain(this.#opts.clock, DRAIN_MS);
    this.#client = undefined;
    this.#connectedAt = undefined;
    this.#table.detach();
    this.#inFlight.rejectAll(this.#closedError('publish'));
    this.#setStatus({ state: 'disconnected' });
    if (!client) return;
    // MQTT.js would wait for acknowledgements still outstanding before its DISCONNECT; they were given up above.
    const force = !client.connected || Object.keys(client.outgoing).length > 0;
    await new Promise<void>((resolve) => client.end(force, () => resolve()));
  }

  async close(): Promise<void> {
    await this.disconnect();
    this.#closed = true;
    this.#table.complete();
    this.#status.complete();
  }

  subscribe(filter: string, options: SubscribeOptions = {}): MessageSource {
    const parsed = parseTopicFilter(filter);
    const qos = options.qos ?? 0;
    const format = options.payload ?? 'bytes';
    return createSubscribable<Message>((observer) => {
      if (this.#closed) {
        observer.error(this.#closedError('subscribe'));
        return undefined;
      }
      const route = { filter: parsed, qos, format, observer };
      this.#table.add(route);
      return () => this.#table.remove(route);
    });
  }

  publish(message: Message, options: MqttPublishOptions = {}): Promise<void> {
    const client = this.#client;
    if (!client?.connected || this.#status.value.state !== 'connected') {
      return Promise.reject(this.#closed ? this.#closedError('publish') : notConnectedError(this.#context, message.topic, this.#status.value.state));
    }
    const qos: QoS = message.qos ?? 0;
    try {
      if (!this.#validTopics.has(message.topic)) {
        assertTopicName(message.topic);
        if (this.#validTopics.size >= VALID_TOPICS_SIZE) this.#validTopics.clear();
        this.#validTopics.add(message.topic);
      }
      if (qos !== 0 && qos !== 1 && qos !== 2) throw new MqttError('MQTT_CONFIG_INVALID', `QoS ${qos} is not 0, 1 or 2.`);
    } catch (error) {
      return Promise.reject(error);
    }
    const publishOptions: IClientPublishOptions = { qos, retain: message.retain ?? false };
    if (options.properties) publishOptions.properties = options.properties;
    return new Promise<void>((resolve, reject) => {
      const settle = this.#inFlight.track(reject);
      client.publish(message.topic, encodePayload(message.payload), publishOptions, (error) => {
        if (!settle()) return;
        if (error) return reject(publishError(error, message.topic, this.#context));
        this.#liveness.sent(this.#opts.clock.now());
        resolve();
      });
    });
  }

  #attempt(): void {
    this.#timer = undefined;
    this.#attemptError = undefined;
    this.#handshakeDone = false;
    this.#setStatus({ state: this.#everConnected || this.#backoff.attempt > 0 ? 'reconnecting' : 'connecting' });
    let client: MqttClient;
    try {
      client = connectClient({ ...mqttTrace, ...this.#opts.client });
    } catch (error) {
      this.#attemptError = this.#classify(error);
      this.#scheduleOrStop();
      return;
    }
    this.#client = client;
    const current = () => this.#client === client;
    client.stream.once('secureConnect', () => {
      if (current()) this.#handshakeDone = true;
    });
    client.on('connect', (connack) => current() && this.#onConnect(client, connack));
    client.on('message', (topic, payload, packet) => current() && this.#onMessage(topic, payload, packet.qos, packet.retain));
    client.on('error', (error) => {
      if (current()) this.#attemptError = this.#classify(error);
    });
    client.on('disconnect', (packet) => current() && this.#onServerDisconnect(packet));
    client.on('close', () => current() && this.#onClose(client));
  }

  #onConnect(client: MqttClient, connack: IConnackPacket): void {
    const now = this.#opts.clock.now();
    this.#connectedAt = now;
    this.#everConnected = true;
    const sessionPresent = connack.sessionPresent;
    this.#setStatus({ state: 'connected', sessionPresent });
    this.#log('info', `Connected to ${where(this.#context)}`, { sessionPresent });
    this.#table.attach(
      {
        subscribe: (filters, done) => client.subscribe(filters, (error) => done(error ?? null)),
        unsubscribe: (filters) => client.unsubscribe(filters, () => undefined),
      },
      sessionPresent,
    );
    this.#settleWaiters();
  }

  #onMessage(topic: string, payload: Buffer, qos: QoS, retain: boolean): void {
    const now = this.#opts.clock.now();
    this.#liveness.received(now);
    this.#table.dispatch(topic, payload, qos, retain, now);
  }

  #onServerDisconnect(packet: IDisconnectPacket): void {
    this.#attemptError = serverDisconnectError(this.#context, packet.reasonCode, packet.properties?.reasonString);
  }

  #onClose(client: MqttClient): void {
    this.#client = undefined;
    const uptime = this.#connectedAt === undefined ? undefined : this.#opts.clock.now() - this.#connectedAt;
    this.#connectedAt = undefined;
    this.#table.detach();
    const phase = uptime !== undefined ? 'connected' : this.#handshakeDone ? 'after-tls-handshake' : 'before-connack';
    this.#attemptError ??= closedError(phase, this.#context);
    this.#inFlight.rejectAll(inFlightLostError(this.#context, this.#attemptError));
    // After the rejections above, so MQTT.js flushing its callbacks finds nothing left to settle.
    client.end(true);
    if (uptime !== undefined && uptime >= this.#opts.strategy.stableAfter) this.#backoff.reset();
    this.#scheduleOrStop();
  }

  #scheduleOrStop(): void {
    // A disconnect() under way owns the state from here.
    if (!this.#wanted) return;
    const error = this.#attemptError!;
    if (!error.retryable && !this.#everConnected) {
      this.#wanted = false;
      this.#log('error', error.message, { code: error.code });
      this.#setStatus({ state: 'disconnected', lastError: error });
      this.#settleWaiters(error);
      return;
    }
    const delay = this.#backoff.next();
    const { clock } = this.#opts;
    this.#setStatus({ state: 'reconnecting', lastError: error, nextAttemptAt: clock.now() + delay });
    this.#log('warn', `${error.message} Next attempt in ${delay} ms.`, { code: error.code, delay });
    this.#timer = clock.setTimeout(() => this.#attempt(), delay);
  }

  #setStatus(change: Pick<MqttConnectionStatus, 'state'> & Partial<MqttConnectionStatus>): void {
    const previous = this.#status.value;
    const since = change.state === previous.state ? previous.since : this.#opts.clock.now();
    const lastError = 'lastError' in change ? change.lastError : previous.lastError;
    const next: MqttConnectionStatus = { since, failedAttempts: this.#backoff.attempt, ...change };
    this.#status.set(lastError ? { ...next, lastError } : next);
  }

  #settleWaiters(error?: unknown): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) error === undefined ? waiter.resolve() : waiter.reject(error);
  }

  #classify(error: unknown): MqttError {
    return classifyConnectionError(error, this.#context);
  }

  #closedError(operation: string): MqttError {
    return closedByOwnerError(this.#context, operation, this.#closed);
  }

  #log(level: keyof MqttLogger, message: string, details?: Record<string, unknown>): void {
    const write = this.#opts.logger[level];
    if (!write) return;
    const secrets = { secrets: this.#opts.secrets };
    write.call(this.#opts.logger, redactText(message, secrets), details && redact(details, secrets));
  }
}

import {
  createSubscribable,
  type Message,
  type MessageSink,
  type Subscribable,
} from '@iiot/core';
import { AMAZON_ROOT_CAS } from './amazon-root-cas.js';
import { createBatcher, type Batch, type Batcher } from './batcher.js';
import { systemClock } from './clock.js';
import { AwsTransportError } from './errors.js';
import { AWS_IOT_LIMITS, checkAwsMessage, checkAwsTopic, checkClientId, clampKeepalive, type LimitViolation } from './limits.js';
import { createThrottle } from './throttle.js';
import type { AwsIotTransportOptions, AwsIotTransportStatus, DeadLetter } from './transport-options.js';
import { encodePayload, payloadAsJson, topicHash } from './_internal/encode.js';
import { createLane, type Lane } from './_internal/lane.js';
import type { LinkFactory, MqttLink } from './_internal/link.js';
import { createConnectionLink } from './_internal/connection-link.js';

/** A message received on a subscription. */
export type InboundHandler = (message: Message<Uint8Array>) => void;

/** AWS IoT Core (or a Greengrass core) as a `MessageSink`, plus subscriptions for shadows and commands. */
export interface AwsIotTransport extends MessageSink {
  /**
   * Sends a message within AWS's limits. Rejects with a non-retryable `AwsTransportError` (and hands the
   * message to the dead-letter sink) when AWS would refuse it; otherwise resolves once AWS acknowledged it.
   */
  publish(message: Message): Promise<void>;
  /** Whether AWS would accept `message`; when not, it goes to the dead-letter sink and is counted, as in `publish`. */
  screen(message: Message): boolean;
  /** Subscribes on the first connection; resolves to a function that unsubscribes. */
  subscribe(filter: string, handler: InboundHandler): Promise<() => Promise<void>>;
  /** Every message refused before sending. */
  readonly deadLetters: Subscribable<DeadLetter>;
  /** Resolves once every connection of the pool is up. */
  ready(): Promise<void>;
  /** Sends open batches now and resolves once nothing is queued or awaiting acknowledgement. */
  flush(): Promise<void>;
  status(): AwsIotTransportStatus;
  /** Disconnects; publishes still queued are rejected. */
  close(): Promise<void>;
}

interface Member {
  qos: 0 | 1;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Creates an AWS IoT transport: mutual TLS, AWS limits checked before sending, throttled, optionally batched and pooled. */
export function createAwsIotTransport(options: AwsIotTransportOptions): AwsIotTransport {
  return openTransport(options, createConnectionLink);
}

/** The transport on any MQTT link implementation. */
export function openTransport(options: AwsIotTransportOptions, linkFactory: LinkFactory): AwsIotTransport {
  const clock = options.clock ?? systemClock;
  const size = options.connections ?? 1;
  if (!Number.isInteger(size) || size < 1) {
    throw new AwsTransportError('AWS_CONFIG_INVALID', `connections must be a whole number ≥ 1, got ${size}.`);
  }
  if (options.host.includes('://') || options.host.includes('/')) {
    throw new AwsTransportError(
      'AWS_CONFIG_INVALID',
      `host "${options.host}" looks like a URL: give the endpoint host name only (aws iot describe-endpoint --endpoint-type iot:Data-ATS).`,
    );
  }
  const clientIds = size === 1 ? [options.clientId] : Array.from({ length: size }, (_, i) => `${options.clientId}-${i + 1}`);
  for (const id of clientIds) {
    const why = checkClientId(id);
    if (why) throw new AwsTransportError('AWS_CLIENT_ID_INVALID', `Client id "${id.slice(0, 140)}": ${why}; choose another.`);
  }
  const port = options.port ?? 8883;
  const defaultQos = options.qos ?? 1;
  const deadLetterObservers = new Set<{ next: (letter: DeadLetter) => void }>();
  const rejected: AwsIotTransportStatus['rejected'] = {};
  let delivered = 0;
  let publishes = 0;
  let closed = false;

  const links: MqttLink[] = [];
  const lanes: Lane[] = clientIds.map((clientId) => {
    const link = linkFactory({
      host: options.host,
      port,
      alpn: options.alpn ?? port === 443,
      ca: options.ca ?? [...AMAZON_ROOT_CAS],
      cert: options.cert,
      key: options.key,
      clientId,
      keepaliveSeconds: clampKeepalive(options.keepaliveSeconds ?? 300),
      protocolVersion: options.protocolVersion ?? 4,
      reconnectPeriodMs: options.reconnectPeriodMs ?? 2000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    });
    links.push(link);
    const throttle = createThrottle({ ...options.throttle, clock });
    // Messages AWS sends us count against the same per-connection publish limit.
    link.onMessage((_topic, payload) => throttle.charge(payload.byteLength));
    return createLane({ link, throttle, maxInFlight: options.maxInFlight ?? 100 });
  });
  const laneFor = (topic: string) => lanes[size === 1 ? 0 : topicHash(topic) % size]!;

  const send = (topic: string, payload: Buffer, qos: 0 | 1, retain: boolean, count: number) =>
    new Promise<void>((resolve, reject) => {
      laneFor(topic).enqueue({ topic, payload, qos, retain, resolve, reject });
      publishes++;
    }).then(() => {
      delivered += count;
    });

  const batchOptions = options.batching === true ? {} : options.batching || undefined;
  const batcher: Batcher<Member> | undefined =
    batchOptions &&
    createBatcher<Member>({
      ...batchOptions,
      clock,
      emit: (batch: Batch<Member>) => {
        const qos = batch.members.some((m) => m.qos === 1) ? 1 : 0;
        send(batch.topic, batch.payload, qos, false, batch.members.length).then(
          () => {
            for (const m of batch.members) m.resolve();
          },
          (error: Error) => {
            for (const m of batch.members) m.reject(error);
          },
        );
      },
    });
  const batchLimit = Math.min(batchOptions?.maxBytes ?? 65_536, AWS_IOT_LIMITS.maxPayloadBytes) - 2;

  const deadLetter = (message: Message, { code, reason }: LimitViolation) => {
    rejected[code] = (rejected[code] ?? 0) + 1;
    const letter: DeadLetter = { message, code, reason, at: Date.now() };
    options.deadLetter?.(letter);
    for (const observer of deadLetterObservers) observer.next(letter);
  };
  const refuse = (message: Message, violation: LimitViolation): Promise<never> => {
    deadLetter(message, violation);
    return Promise.reject(
      new AwsTransportError(violation.code, `Not sent to AWS IoT, topic "${message.topic.slice(0, 300)}": ${violation.reason}.`, {
        details: { topic: message.topic.slice(0, 300), code: violation.code },
      }),
    );
  };

  return {
    publish(message) {
      if (closed) return Promise.reject(new AwsTransportError('AWS_TRANSPORT_CLOSED', 'The AWS IoT transport is closed; create a new one.'));
      const payload = encodePayload(message.payload);
      const violation = checkAwsMessage(message, payload);
      if (violation) return refuse(message, violation);
      const qos = (message.qos ?? defaultQos) as 0 | 1;
      const retain = message.retain ?? false;
      // Shadow and job requests expect one answer per request: never packed into a batch.
      if (batcher && !retain && !message.topic.startsWith('$aws/things/')) {
        const json = payloadAsJson(message.payload, payload);
        if (Buffer.byteLength(json) <= batchLimit) {
          return new Promise<void>((resolve, reject) => batcher.add(message.topic, json, { qos, resolve, reject }));
        }
      }
      return send(message.topic, payload, qos, retain, 1);
    },
    screen(message) {
      const violation = checkAwsMessage(message, encodePayload(message.payload));
      if (violation) deadLetter(message, violation);
      return violation === undefined;
    },
    async subscribe(filter, handler) {
      const violation = checkAwsTopic(filter.replace(/[+#]/g, 'x'));
      if (violation && violation.code !== 'AWS_TOPIC_RESERVED') {
        throw new AwsTransportError('AWS_SUBSCRIBE_FAILED', `Cannot subscribe to "${filter.slice(0, 300)}": ${violation.reason}.`);
      }
      try {
        return await links[0]!.subscribe(filter, 1, (topic, payload) => handler({ topic, payload, timestamp: Date.now() }));
      } catch (cause) {
        throw new AwsTransportError('AWS_SUBSCRIBE_FAILED', `AWS IoT refused the subscription to "${filter}": check the IoT policy.`, {
          cause,
          retryable: true,
        });
      }
    },
    deadLetters: createSubscribable<DeadLetter>((observer) => {
      deadLetterObservers.add(observer);
      return () => deadLetterObservers.delete(observer);
    }),
    ready: () =>
      Promise.all(
        links.map(
          (link) =>
            new Promise<void>((resolve) => {
              if (link.connected) return resolve();
              const off = link.onConnectionChange((up) => {
                if (!up) return;
                off();
                resolve();
              });
            }),
        ),
      ).then(() => undefined),
    async flush() {
      batcher?.flush();
      await Promise.all(lanes.map((lane) => lane.idle()));
    },
    status: () => ({
      connections: lanes.map((lane, i) => ({
        clientId: clientIds[i]!,
        connected: links[i]!.connected,
        queued: lane.queued,
        inFlight: lane.inFlight,
      })),
      delivered,
      publishes,
      batching: batcher?.pending ?? 0,
      rejected: { ...rejected },
    }),
    async close() {
      if (closed) return;
      closed = true;
      batcher?.flush();
      const reason = new AwsTransportError('AWS_TRANSPORT_CLOSED', 'The AWS IoT transport was closed before this message was sent.');
      for (const lane of lanes) lane.close(reason);
      await Promise.all(links.map((link) => link.close()));
    },
  };
}

import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import { Aedes, type AedesPublishPacket, type Client } from 'aedes';
import { AWS_IOT_LIMITS, checkAwsPublish, checkClientId } from '../limits.js';
import { createShadowService } from './shadow-service.js';

export interface AwsIotEmulatorOptions {
  /** The CA whose client certificates are accepted (PEM). Connections without one are refused in the handshake. */
  ca: string;
  /** The server certificate and key (PEM), valid for `host`. */
  cert: string;
  key: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** The 8883-style port; 0 picks a free one. @default 0 */
  port?: number;
  /** The port that requires ALPN `x-amzn-mqtt-ca` (AWS's 443); 0 picks a free one, `false` disables it. @default 0 */
  alpnPort?: number | false;
  /** Publishes per second per connection; those beyond are acknowledged and dropped, as AWS does. @default 100 */
  publishesPerSecond?: number;
}

/** What the stand-in saw and did, for assertions. */
export interface AwsIotEmulatorStats {
  /** Publishes accepted and routed. */
  accepted: number;
  /** Publishes dropped for exceeding the rate. */
  dropped: number;
  /** Connections closed for a QoS 2 publish or subscribe. */
  closedForQos2: number;
  /** Connections closed for a payload over 131072 bytes. */
  closedForPayload: number;
  /** Connections closed for a topic AWS refuses (too long, too deep, reserved, wildcard). */
  closedForTopic: number;
  /** Older connections closed because a newer one used the same client id. */
  takeovers: number;
  /** TLS handshakes or ALPN negotiations refused. */
  refusedHandshakes: number;
}

/** A running local AWS IoT stand-in. */
export interface AwsIotEmulator {
  /** Says what this is: a test double, not AWS IoT. */
  readonly description: string;
  readonly host: string;
  readonly port: number;
  /** The ALPN port, or `undefined` when disabled. */
  readonly alpnPort: number | undefined;
  stats(): AwsIotEmulatorStats;
  /** Calls `listener` for every publish the stand-in accepted (not for dropped ones). */
  onPublish(listener: (topic: string, payload: Buffer, clientId: string | undefined) => void): () => void;
  /** Simulates an outage: stops listening and drops every connection. Shadows are kept. */
  stop(): Promise<void>;
  /** Listens again on the same ports after `stop()`. */
  start(): Promise<void>;
  /** Stops for good. */
  close(): Promise<void>;
}

const DROPPED_TOPIC = '$iiot-emulator/dropped';

/**
 * Starts a local stand-in for AWS IoT Core: a test double built on aedes that enforces AWS's documented
 * connection rules and limits, for tests and demos. It is not AWS and does not claim to be.
 */
export async function startAwsIotEmulator(options: AwsIotEmulatorOptions): Promise<AwsIotEmulator> {
  const host = options.host ?? '127.0.0.1';
  const rate = options.publishesPerSecond ?? AWS_IOT_LIMITS.publishesPerSecond;
  const stats: AwsIotEmulatorStats = {
    accepted: 0,
    dropped: 0,
    closedForQos2: 0,
    closedForPayload: 0,
    closedForTopic: 0,
    takeovers: 0,
    refusedHandshakes: 0,
  };
  const listeners = new Set<(topic: string, payload: Buffer, clientId: string | undefined) => void>();
  const buckets = new WeakMap<Client, { tokens: number; at: number }>();
  const live = new Map<string, Client>();
  const takingOver = new WeakSet<Client>();
  const shadows = createShadowService();

  const broker = await Aedes.createBroker({
    id: 'iiot-aws-iot-emulator',
    maxClientsIdLength: AWS_IOT_LIMITS.maxClientIdBytes,
    preConnect: (client, packet, callback) => {
      const refused = checkClientId(packet.clientId ?? '');
      if (refused) return callback(new Error(refused), false);
      // aedes closes the older connection before the newer one is ready: remember it was there.
      if (live.has(packet.clientId)) takingOver.add(client);
      callback(null, true);
    },
    authorizePublish: (client, packet, callback) => {
      const violation = checkAwsPublish(packet.topic, packet.payload.length, packet.qos);
      if (violation) {
        if (violation.code === 'AWS_QOS_UNSUPPORTED') stats.closedForQos2++;
        else if (violation.code === 'AWS_PAYLOAD_TOO_LARGE') stats.closedForPayload++;
        else stats.closedForTopic++;
        return callback(new Error(violation.reason));
      }
      if (client && !takeToken(client)) {
        stats.dropped++;
        // Acknowledged like any other publish, then routed nowhere: the silent drop AWS does.
        packet.topic = DROPPED_TOPIC;
        packet.retain = false;
        return callback(null);
      }
      stats.accepted++;
      for (const listener of listeners) listener(packet.topic, packet.payload as Buffer, client?.id);
      callback(null);
    },
    authorizeSubscribe: (_client, subscription, callback) => {
      if (subscription.qos === 2) {
        stats.closedForQos2++;
        return callback(new Error('QoS 2 subscriptions are not supported'));
      }
      // Dropped publishes are routed to a topic nobody may read.
      callback(null, subscription.topic.startsWith(DROPPED_TOPIC) ? null : subscription);
    },
  });

  const takeToken = (client: Client) => {
    const now = performance.now();
    const bucket = buckets.get(client) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    buckets.set(client, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  broker.on('clientReady', (client) => {
    if (takingOver.delete(client)) stats.takeovers++;
    live.set(client.id, client);
  });
  broker.on('clientDisconnect', (client) => {
    if (live.get(client.id) === client) live.delete(client.id);
  });
  broker.subscribe(
    '$aws/things/+/shadow/#',
    (packet: AedesPublishPacket, done: () => void) => {
      const replies = shadows.handle(packet.topic, packet.payload as Buffer) ?? [];
      for (const { topic, payload } of replies) {
        broker.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, () => {});
      }
      done();
    },
    () => {},
  );

  const sockets = new Set<Socket>();
  const serverOptions = { ca: options.ca, cert: options.cert, key: options.key, requestCert: true, rejectUnauthorized: true };
  const track = (socket: tls.TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const main = tls.createServer(serverOptions, (socket) => {
    track(socket);
    broker.handle(socket);
  });
  const alpn =
    options.alpnPort === false
      ? undefined
      : tls.createServer({ ...serverOptions, ALPNProtocols: ['x-amzn-mqtt-ca'] }, (socket) => {
          track(socket);
          if (socket.alpnProtocol !== 'x-amzn-mqtt-ca') {
            stats.refusedHandshakes++;
            return socket.destroy();
          }
          broker.handle(socket);
        });
  for (const server of [main, alpn]) server?.on('tlsClientError', () => stats.refusedHandshakes++);

  const listen = (server: tls.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stopServer = (server: tls.Server | undefined) =>
    new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));

  const port = await listen(main, options.port ?? 0);
  const alpnPort = alpn ? await listen(alpn, options.alpnPort || 0) : undefined;

  const stop = async () => {
    const closing = [stopServer(main), stopServer(alpn)];
    for (const socket of sockets) socket.destroy();
    await Promise.all(closing);
  };

  return {
    description: 'Local AWS IoT stand-in for tests and demos (a test double built on aedes; not AWS IoT).',
    host,
    port,
    alpnPort,
    stats: () => ({ ...stats }),
    onPublish(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop,
    async start() {
      await listen(main, port);
      if (alpn && alpnPort !== undefined) await listen(alpn, alpnPort);
    },
    async close() {
      await stop();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

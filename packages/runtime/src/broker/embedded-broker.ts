import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { Logger } from 'pino';
import { RuntimeError } from '../errors.js';
import type { AccessControl } from './access-control.js';

/** Where and how the embedded MQTT broker listens. */
export interface EmbeddedBrokerOptions {
  /** Interface to listen on. Anything but loopback requires authentication. @default '127.0.0.1' */
  host?: string;
  /** TCP port; 0 picks a free one. @default 1883 */
  port?: number;
  /**
   * Whether clients without a username may connect (with full access, as on a developer's machine).
   * @default true on loopback, false elsewhere
   */
  allowAnonymous?: boolean;
}

/** The running embedded broker. */
export interface EmbeddedBroker {
  readonly aedes: Aedes;
  readonly host: string;
  /** The port actually bound. */
  readonly port: number;
  /** `mqtt://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Starts aedes on a TCP port with the users and permissions of every installed service enforced. */
export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions,
  access: AccessControl,
  log: Logger,
): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const loopback = LOOPBACK.has(host);
  const allowAnonymous = options.allowAnonymous ?? loopback;
  if (allowAnonymous && !loopback) {
    throw new RuntimeError(
      'BROKER_INSECURE',
      `The embedded broker would accept anonymous clients on ${host}. Listen on 127.0.0.1, or set broker.allowAnonymous to false so that only service users can connect.`,
    );
  }
  // Who each client authenticated as; anonymous clients are absent and get full access.
  const identities = new WeakMap<object, string>();
  const aedes = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      if (username === undefined || username === '') {
        if (allowAnonymous) return done(null, true);
      } else if (access.authenticate(username, password?.toString('utf8') ?? '')) {
        identities.set(client, username);
        return done(null, true);
      }
      log.warn({ clientId: client.id, username }, 'broker refused a client: unknown user or wrong password');
      const error = Object.assign(new Error('Bad username or password'), { returnCode: 4 as const });
      done(error, false);
    },
    authorizePublish(client, packet, done) {
      const user = client ? identities.get(client) : undefined;
      if (client === null || user === undefined || access.canPublish(user, packet.topic)) return done(null);
      log.warn({ clientId: client.id, user, topic: packet.topic }, 'broker refused a publish: no write permission');
      done(new Error(`user ${user} may not publish to ${packet.topic}`));
    },
    authorizeSubscribe(client, subscription, done) {
      const user = identities.get(client);
      if (user === undefined || access.canSubscribe(user, subscription.topic)) return done(null, subscription);
      log.warn({ clientId: client.id, user, topic: subscription.topic }, 'broker refused a subscription: no read permission');
      // A null subscription is answered with SUBACK 128 (failure) and keeps the client connected.
      done(null, null);
    },
  });
  const server: Server = createServer(aedes.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 1883, host, () => resolve());
    });
  } catch (cause) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw new RuntimeError(
      'BROKER_START_FAILED',
      `The embedded broker cannot listen on ${host}:${options.port ?? 1883}: ${(cause as Error).message}. Choose another port (--broker-port) or stop what uses it.`,
      { cause, retryable: true },
    );
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 1883);
  log.info({ host, port, anonymous: allowAnonymous }, 'embedded MQTT broker listening');
  return {
    aedes,
    host,
    port,
    url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

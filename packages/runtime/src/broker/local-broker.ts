import { createHash } from 'node:crypto';
import type { Connector } from '@iiot/core';
import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../connector-registry.js';
import type { ExternalBrokerOptions } from '../runtime-options.js';
import type { AccessControl } from './access-control.js';
import { type EmbeddedBrokerOptions, startEmbeddedBroker } from './embedded-broker.js';
import { createLocalConnector } from './local-connector.js';

/** The broker services publish to and subscribe on, as the runtime uses it. */
export interface LocalBroker {
  /** The broker as a connector, for mappings and endpoints. */
  readonly local: Connector;
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Whether the runtime runs it (and enforces service permissions). */
  readonly embedded: boolean;
  close(): Promise<void>;
}

/** Starts the embedded broker, or connects to an external one through the `Mqtt` connector. */
export async function startLocalBroker(
  options: EmbeddedBrokerOptions | ExternalBrokerOptions,
  deps: { access: AccessControl; registry: ConnectorRegistry; dataDir: string; log: Logger },
): Promise<LocalBroker> {
  if (!('url' in options)) {
    const broker = await startEmbeddedBroker(options, deps.access, deps.log);
    return { local: createLocalConnector(broker.aedes), url: broker.url, host: broker.host, port: broker.port, embedded: true, close: broker.close };
  }
  const url = new URL(options.url);
  const port = Number(url.port || (url.protocol === 'mqtts:' ? 8883 : 1883));
  const local = await deps.registry.get('Mqtt', 'the local broker').create(
    {
      host: url.hostname,
      port,
      scheme: url.protocol.replace(':', ''),
      // One client id per data directory and a persistent session: while the runtime is down, the broker
      // keeps QoS 1 messages for it, and a restart picks them up.
      clientId: `iiot-runtime-${createHash('sha256').update(deps.dataDir).digest('hex').slice(0, 12)}`,
      clean: false,
      ...(options.username && { username: options.username, password: options.password }),
    },
    { resourceId: 'localBroker', serviceId: 'runtime' },
  );
  deps.log.warn({ url: options.url }, 'using an external broker: Cybus::User and Cybus::Role permissions are not enforced by it');
  return { local, url: options.url, host: url.hostname, port, embedded: false, close: () => local.close() };
}

import { discoverGreengrass, type GreengrassDiscoveryOptions, greengrassEndpoints } from './greengrass-discovery.js';
import { type AwsIotTransport, openTransport } from './transport.js';
import type { AwsIotTransportOptions } from './transport-options.js';
import { createConnectionLink } from './_internal/connection-link.js';
import { createRotatingLink } from './_internal/rotating-link.js';

export interface GreengrassTransportOptions
  extends Omit<AwsIotTransportOptions, 'host' | 'port' | 'alpn' | 'ca' | 'clientId' | 'connections'> {
  /** How to find the cores; the thing name is also the client id, as Greengrass requires. */
  discovery: Omit<GreengrassDiscoveryOptions, 'cert' | 'key'>;
  /** Failed connection attempts in a row after which discovery runs again. @default 3 */
  failuresBeforeRediscovery?: number;
}

/**
 * A transport to an AWS IoT Greengrass core found by discovery: tries each core connectivity entry in order
 * with the group CA as trust root, and discovers again after repeated failures.
 */
export function createGreengrassTransport(options: GreengrassTransportOptions): AwsIotTransport {
  const { discovery, failuresBeforeRediscovery = 3, ...rest } = options;
  return openTransport({ ...rest, host: 'greengrass-core', clientId: discovery.thingName, connections: 1 }, (base) =>
    createRotatingLink({
      base,
      linkFactory: createConnectionLink,
      failuresBeforeRediscovery,
      discover: async () =>
        greengrassEndpoints(await discoverGreengrass({ ...discovery, cert: options.cert, key: options.key })).map((e) => ({
          host: e.host,
          port: e.port,
          ca: e.ca,
        })),
    }),
  );
}

import { OpcuaError } from './errors.js';

/** An endpoint's `subscribe` / `read` / `write` address in an Opcua connection. */
export interface OpcuaAddress {
  /** A node id in OPC UA string form (`ns=2;s=Machine.Temperature`, `i=2258`); this or `browsePath`. */
  nodeId?: string;
  /** A relative path from the Root folder in OPC UA text form (`/Objects/2:Machine/2:Temperature`). */
  browsePath?: string;
  /** Subscribe: how often the server sends collected changes; endpoints with the same value share one subscription. @default 1000 */
  publishInterval?: number;
  /** Subscribe: how often the server samples the value. @default publishInterval */
  samplingInterval?: number;
  /** Subscribe: an alias of `samplingInterval`, as older commissioning files write it. */
  interval?: number;
  /** Subscribe: how many samples the server keeps between publishes. @default 1 */
  queueSize?: number;
}

/** An address with its defaults applied and its node given one way. */
export interface ResolvedAddress {
  /** `nodeId` or `browsePath` as written, for messages. */
  label: string;
  nodeId?: string;
  browsePath?: string;
  publishInterval: number;
  samplingInterval: number;
  queueSize: number;
}

/** Checks an endpoint address and applies defaults; throws `OPCUA_CONFIG_INVALID`. */
export function resolveAddress(address: Record<string, unknown> | undefined, where = 'Opcua endpoint'): ResolvedAddress {
  const a = (address ?? {}) as OpcuaAddress;
  const invalid = (what: string) => new OpcuaError('OPCUA_CONFIG_INVALID', `${where}: ${what}`);
  const hasNode = typeof a.nodeId === 'string' && a.nodeId !== '';
  const hasPath = typeof a.browsePath === 'string' && a.browsePath !== '';
  if (hasNode === hasPath) throw invalid('give exactly one of `nodeId` (like "ns=2;s=Temperature") or `browsePath` (like "/Objects/2:Machine/2:Temperature").');
  const positive = (name: keyof OpcuaAddress, value: unknown): void => {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw invalid(`\`${name}\` must be a number of milliseconds ≥ 0, got ${JSON.stringify(value)}.`);
    }
  };
  positive('publishInterval', a.publishInterval);
  positive('samplingInterval', a.samplingInterval);
  positive('interval', a.interval);
  if (a.queueSize !== undefined && !(Number.isInteger(a.queueSize) && a.queueSize >= 1)) throw invalid('`queueSize` must be an integer ≥ 1.');
  const publishInterval = a.publishInterval ?? 1000;
  return {
    label: (hasNode ? a.nodeId : a.browsePath) as string,
    ...(hasNode ? { nodeId: a.nodeId } : { browsePath: a.browsePath }),
    publishInterval,
    samplingInterval: a.samplingInterval ?? a.interval ?? publishInterval,
    queueSize: a.queueSize ?? 1,
  };
}

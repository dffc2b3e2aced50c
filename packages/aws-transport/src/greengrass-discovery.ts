import { request } from 'node:https';
import { AMAZON_ROOT_CAS } from './amazon-root-cas.js';
import { GreengrassError } from './errors.js';
import type { Pem } from './_internal/link.js';

export interface GreengrassDiscoveryOptions {
  /** The client device's thing name. */
  thingName: string;
  /** The AWS region; the host is then `greengrass-ats.iot.<region>.amazonaws.com`. */
  region?: string;
  /** A discovery host instead of the regional one (a test server, a proxy). @default from region */
  host?: string;
  /** @default 8443 */
  port?: number;
  /** The device certificate and key (PEM) the request is authenticated with. */
  cert: Pem;
  key: Pem;
  /** Roots that sign the discovery endpoint. @default Amazon Root CA 1 and 3 */
  ca?: Pem;
  /** @default 10000 */
  timeoutMs?: number;
}

/** One way to reach a Greengrass core. */
export interface GreengrassConnectivity {
  id: string;
  hostAddress: string;
  portNumber: number;
  metadata: string;
}

/** A Greengrass group the device may connect to: its cores and the group CAs that sign their certificates. */
export interface GreengrassGroup {
  groupId: string;
  cores: { thingArn: string; connectivity: GreengrassConnectivity[] }[];
  /** PEM certificates to trust when connecting to this group's cores. */
  cas: string[];
}

/** A core endpoint to try, in the order discovery listed it. */
export interface GreengrassEndpoint {
  groupId: string;
  coreThingArn: string;
  host: string;
  port: number;
  ca: string[];
}

type Loose = Record<string, unknown>;

// Real answers use PascalCase (`GGGroups`, `HostAddress`) next to camelCase (`thingArn`): match keys without case.
function field(object: unknown, name: string): unknown {
  if (typeof object !== 'object' || object === null) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(object)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Reads a discovery answer, whatever the case of its keys. */
export function parseGreengrassDiscovery(body: unknown): GreengrassGroup[] {
  return list(field(body, 'GGGroups')).map((group) => ({
    groupId: String(field(group, 'GGGroupId') ?? ''),
    cores: list(field(group, 'Cores')).map((core) => ({
      thingArn: String(field(core, 'thingArn') ?? ''),
      connectivity: list(field(core, 'Connectivity')).map((entry) => ({
        id: String(field(entry, 'Id') ?? ''),
        hostAddress: String(field(entry, 'HostAddress') ?? ''),
        portNumber: Number(field(entry, 'PortNumber') ?? 8883),
        metadata: String(field(entry, 'Metadata') ?? ''),
      })),
    })),
    cas: list(field(group, 'CAs')).map(String),
  }));
}

/** Every core connectivity entry of every group, in the order listed, each with its group's CAs. */
export function greengrassEndpoints(groups: readonly GreengrassGroup[]): GreengrassEndpoint[] {
  return groups.flatMap((group) =>
    group.cores.flatMap((core) =>
      core.connectivity
        .filter((c) => c.hostAddress)
        .map((c) => ({ groupId: group.groupId, coreThingArn: core.thingArn, host: c.hostAddress, port: c.portNumber, ca: group.cas })),
    ),
  );
}

/** Asks AWS IoT Greengrass which cores this thing may connect to (HTTPS with the device certificate). */
export function discoverGreengrass(options: GreengrassDiscoveryOptions): Promise<GreengrassGroup[]> {
  const host = options.host ?? (options.region ? `greengrass-ats.iot.${options.region}.amazonaws.com` : undefined);
  if (!host) throw new GreengrassError('GREENGRASS_DISCOVERY_FAILED', 'Greengrass discovery needs a region (or a host): set options.region.');
  const path = `/greengrass/discover/thing/${encodeURIComponent(options.thingName)}`;
  const where = `https://${host}:${options.port ?? 8443}${path}`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port: options.port ?? 8443,
        path,
        method: 'GET',
        cert: options.cert,
        key: options.key,
        ca: options.ca ?? [...AMAZON_ROOT_CAS],
        timeout: options.timeoutMs ?? 10_000,
        headers: { accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (cause) => reject(failed(`reading the answer of ${where} failed`, cause, true)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const status = res.statusCode ?? 0;
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          const said = String(field(body, 'message') ?? text.slice(0, 200));
          if (status === 200 && body !== undefined) return resolve(parseGreengrassDiscovery(body as Loose));
          if (status === 403) {
            return reject(
              new GreengrassError('GREENGRASS_FORBIDDEN', `Greengrass discovery for "${options.thingName}" was refused (403: ${said}): allow greengrass:Discover in the thing's IoT policy.`, {
                details: { status, thingName: options.thingName },
              }),
            );
          }
          if (status === 404) {
            return reject(
              new GreengrassError('GREENGRASS_THING_NOT_FOUND', `Greengrass discovery knows no "${options.thingName}" (404: ${said}): associate the thing with a Greengrass core device.`, {
                details: { status, thingName: options.thingName },
              }),
            );
          }
          reject(failed(`${where} answered ${status}: ${said}`, undefined, status === 429 || status >= 500));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', (cause) => reject(failed(`cannot reach ${where}: ${cause.message}`, cause, true)));
    req.end();
  });
}

function failed(what: string, cause: unknown, retryable: boolean) {
  return new GreengrassError('GREENGRASS_DISCOVERY_FAILED', `Greengrass discovery failed: ${what}.`, { cause, retryable });
}

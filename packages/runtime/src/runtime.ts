import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Connector, ConnectorFactory } from '@iiot/core';
import { createAccessControl } from './broker/access-control.js';
import { type EmbeddedBroker, type EmbeddedBrokerOptions, startEmbeddedBroker } from './broker/embedded-broker.js';
import { createLocalConnector } from './broker/local-connector.js';
import { createConnectorRegistry } from './connector-registry.js';
import { createMqttConnectorFactory } from './connectors/mqtt-connector.js';
import { RuntimeError } from './errors.js';
import { type HttpOptions, type ObservabilityServer, startObservabilityServer } from './http/observability-server.js';
import { createLogger, type Logger, type LoggerOptions } from './logger.js';
import { serviceUsers } from './resources/access-resources.js';
import type { ConnectionHandle, ResourceContext } from './resources/types.js';
import { ServiceInstance, type ServiceStatus } from './service-instance.js';
import { diffServices } from '@iiot/commissioning';
import { type ResolvedService, resolveService, schemaRegistryFor } from './_internal/definition.js';
import { overrideDefinitions } from './_internal/override-definitions.js';
import { readRef } from './_internal/references.js';
import { createStateStore, type StoredService } from './_internal/state-store.js';

/** An MQTT broker the runtime does not run itself. Broker permissions are then that broker's business. */
export interface ExternalBrokerOptions {
  /** `mqtt://host:port` or `mqtts://…`. */
  url: string;
  username?: string;
  password?: string;
}

/** Everything `createRuntime` needs. */
export interface RuntimeOptions {
  /** Where installed services, their target states and the sink buffers are kept. */
  dataDir: string;
  /** The embedded broker's settings, or an external broker's URL. @default embedded on 127.0.0.1:1883 */
  broker?: EmbeddedBrokerOptions | ExternalBrokerOptions;
  /** Connector factories besides the built-in ones; one for an existing protocol replaces it. @default [] */
  connectors?: ConnectorFactory[];
  /**
   * Host names to treat as AWS IoT endpoints besides `*.iot.<region>.amazonaws.com`, such as a local AWS IoT
   * stand-in: Mqtt connections to them go through `@iiot/aws-transport`. @default []
   */
  awsIotHosts?: string[];
  /** The status server's address, or `false` for none. @default 127.0.0.1:9464 */
  http?: HttpOptions | false;
  /** A pino logger, or options for the built-in one. @default info level to standard error */
  logger?: Logger | LoggerOptions;
}

/** How to install a service. */
export interface InstallOptions {
  /** @default metadata.name lower-cased with everything outside [a-z0-9] removed */
  serviceId?: string;
  /** Parameter values; strings are coerced to the declared type. @default {} */
  parameters?: Record<string, unknown>;
  /** Values that replace the file's `definitions` of the same name (certificates, say); the file is not changed. @default {} */
  definitions?: Record<string, unknown>;
}

/** What `reconfigure` changes; what is not given stays as installed. */
export interface ReconfigureChange {
  /** A new version of the file. */
  file?: CommissioningInput;
  /** All parameter values (they replace the installed ones). */
  parameters?: Record<string, unknown>;
  /** Definitions to replace, as in `install`. */
  definitions?: Record<string, unknown>;
}

/** A commissioning file given as its path, or as its text with a name for messages. */
export type CommissioningInput = string | { source: string; fileName: string };

/** The whole runtime in `status()` and `/status`. */
export interface RuntimeStatus {
  broker: { url: string; embedded: boolean };
  services: ServiceStatus[];
}

/** The running service manager. */
export interface Runtime {
  /** The local broker's URL. */
  readonly brokerUrl: string;
  /** The status server's URL, when it runs. */
  readonly httpUrl: string | undefined;
  readonly log: Logger;
  /** Parses, validates and installs a service (disabled). */
  install(file: CommissioningInput, options?: InstallOptions): Promise<ServiceStatus>;
  /** Starts every resource; a failure rolls back what was started. */
  enable(serviceId: string): Promise<ServiceStatus>;
  /** Stops every resource, flushing buffers as far as the targets accept. */
  disable(serviceId: string): Promise<ServiceStatus>;
  /** New parameters and/or a new file; while enabled only the changed resources restart. */
  reconfigure(serviceId: string, change: ReconfigureChange): Promise<ServiceStatus>;
  /** Disables and forgets a service, with its buffers. */
  uninstall(serviceId: string): Promise<void>;
  status(): RuntimeStatus;
  /** Stops every service (target states are kept for the next start), the broker and the status server. */
  close(): Promise<void>;
}

interface Entry {
  stored: StoredService;
  resolved: ResolvedService;
  instance: ServiceInstance;
}

/** Starts the broker, restores installed services (enabling those whose target state is enabled) and serves status. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const services = new Map<string, Entry>();
  const secrets = () => [...services.values()].map((e) => e.stored.brokerPassword);
  const log = isLogger(options.logger) ? options.logger : createLogger({ ...options.logger, secrets });
  const store = createStateStore(dataDir);
  const access = createAccessControl();
  const registry = createConnectorRegistry([
    createMqttConnectorFactory({ awsIotHosts: options.awsIotHosts ?? [] }),
    ...(options.connectors ?? []),
  ]);

  const brokerOptions = options.broker ?? {};
  let broker: EmbeddedBroker | undefined;
  let local: Connector;
  let brokerUrl: string;
  if ('url' in brokerOptions) {
    brokerUrl = brokerOptions.url;
    const url = new URL(brokerOptions.url);
    local = await registry.get('Mqtt', 'the local broker').create(
      {
        host: url.hostname,
        port: Number(url.port || (url.protocol === 'mqtts:' ? 8883 : 1883)),
        scheme: url.protocol.replace(':', ''),
        // One client id per data directory and a persistent session: while the runtime is down, the broker
        // keeps QoS 1 messages for it, and a restart picks them up.
        clientId: `iiot-runtime-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`,
        clean: false,
        ...(brokerOptions.username && { username: brokerOptions.username, password: brokerOptions.password }),
      },
      { resourceId: 'localBroker', serviceId: 'runtime' },
    );
    log.warn({ url: brokerUrl }, 'using an external broker: Cybus::User and Cybus::Role permissions are not enforced by it');
  } else {
    broker = await startEmbeddedBroker(brokerOptions, access, log);
    local = createLocalConnector(broker.aedes);
    brokerUrl = broker.url;
  }
  const brokerPort = broker?.port ?? Number(new URL(brokerUrl).port || 1883);
  const brokerHost = broker?.host ?? new URL(brokerUrl).hostname;

  const contextFor = (serviceId: string): ResourceContext => ({
    serviceId,
    mqttRoot: `services/${serviceId}`,
    local,
    registry,
    log: log.child({ service: serviceId }),
    dataDir: join(dataDir, 'buffers', serviceId),
    publishLocal: (message) => local.sink.publish(message),
    resource(reference, where) {
      const ref = readRef(reference);
      const owner = ref?.serviceId ?? serviceId;
      const resource = ref && services.get(owner)?.resolved.resources.find((r) => r.id === ref.resourceId);
      if (resource) return { serviceId: owner, resource };
      throw new RuntimeError(
        'SERVICE_DEPENDENCY_MISSING',
        `${where} refers to resource ${ref?.serviceId ? `${ref.serviceId}::` : ''}${ref?.resourceId ?? String(reference)}, which is not installed.`,
      );
    },
    connection(reference, where): ConnectionHandle {
      const ref = readRef(reference);
      const owner = services.get(ref?.serviceId ?? serviceId);
      const handle = ref && owner?.instance.get(ref.resourceId)?.connection;
      if (handle) return handle;
      throw new RuntimeError(
        'SERVICE_DEPENDENCY_MISSING',
        `${where} refers to connection ${ref?.serviceId ? `${ref.serviceId}::` : ''}${ref?.resourceId ?? String(reference)}, which is not running. Install and enable the service that defines it first.`,
      );
    },
  });

  const read = (file: CommissioningInput) =>
    typeof file === 'string' ? { source: readFileSync(file, 'utf8'), fileName: resolve(file) } : file;

  const schemas = schemaRegistryFor(registry);
  const resolveStored = (stored: StoredService, serviceId?: string): ResolvedService =>
    resolveService(stored.source, stored.fileName, {
      ...(serviceId !== undefined && { serviceId }),
      parameters: stored.parameters,
      broker: { host: brokerHost, port: brokerPort, password: stored.brokerPassword },
      registry: schemas,
    });

  const persist = () => store.save([...services.values()].map((e) => e.stored));
  const entry = (serviceId: string): Entry => {
    const found = services.get(serviceId);
    if (found) return found;
    throw new RuntimeError('SERVICE_NOT_FOUND', `No service "${serviceId}" is installed. Installed: ${[...services.keys()].join(', ') || 'none'}.`);
  };
  const statusOf = (e: Entry) => e.instance.status(e.stored.targetState);
  const applyUsers = (e: Entry) =>
    access.setServiceUsers(e.stored.serviceId, serviceUsers(e.stored.serviceId, `services/${e.stored.serviceId}`, e.stored.brokerPassword, e.resolved.resources));

  const add = (stored: StoredService, resolved: ResolvedService) => {
    for (const parent of resolved.requires) {
      if (!services.has(parent)) {
        throw new RuntimeError('SERVICE_DEPENDENCY_MISSING', `Service ${resolved.serviceId} refers to service "${parent}", which is not installed. Install it first.`);
      }
    }
    const e: Entry = { stored, resolved, instance: new ServiceInstance(resolved.serviceId, resolved.resources, contextFor(resolved.serviceId)) };
    services.set(resolved.serviceId, e);
    return e;
  };

  const enableEntry = async (e: Entry) => {
    for (const parent of e.resolved.requires) {
      if (entry(parent).instance.state !== 'enabled') {
        throw new RuntimeError('SERVICE_DEPENDENCY_MISSING', `Service ${e.stored.serviceId} needs service "${parent}" enabled first.`);
      }
    }
    applyUsers(e);
    await e.instance.enable();
    log.info({ service: e.stored.serviceId }, 'service enabled');
  };

  const dependents = (serviceId: string) =>
    [...services.values()].filter((e) => e.resolved.requires.includes(serviceId)).map((e) => e.stored.serviceId);

  // Restore what was installed, parents before children (the stored order is install order).
  for (const stored of store.load()) {
    try {
      add(stored, resolveStored(stored, stored.serviceId));
    } catch (error) {
      log.error({ service: stored.serviceId, err: error }, 'installed service could not be restored');
    }
  }
  for (const e of services.values()) {
    if (e.stored.targetState !== 'enabled') continue;
    await enableEntry(e).catch((error) => log.error({ service: e.stored.serviceId, err: error }, 'service could not be enabled at start'));
  }

  let closed = false;
  const status = (): RuntimeStatus => ({
    broker: { url: brokerUrl, embedded: broker !== undefined },
    services: [...services.values()].map(statusOf),
  });
  const http: ObservabilityServer | undefined = options.http === false ? undefined : await startObservabilityServer(options.http ?? {}, () => ({ ...status() }));

  const runtime: Runtime = {
    brokerUrl,
    httpUrl: http?.url,
    log,
    async install(file, installOptions = {}) {
      const { source: original, fileName } = read(file);
      const source = overrideDefinitions(original, fileName, installOptions.definitions ?? {});
      const stored: StoredService = {
        serviceId: '',
        fileName,
        source,
        parameters: installOptions.parameters ?? {},
        targetState: 'disabled',
        brokerPassword: randomBytes(18).toString('base64url'),
      };
      const resolved = resolveStored(stored, installOptions.serviceId);
      if (services.has(resolved.serviceId)) {
        throw new RuntimeError('SERVICE_EXISTS', `Service "${resolved.serviceId}" is already installed. Reconfigure it, or uninstall it first.`, {
          details: { serviceId: resolved.serviceId },
        });
      }
      stored.serviceId = resolved.serviceId;
      const e = add(stored, resolved);
      persist();
      log.info({ service: resolved.serviceId, file: fileName }, 'service installed');
      return statusOf(e);
    },
    async enable(serviceId) {
      const e = entry(serviceId);
      try {
        await enableEntry(e);
        e.stored.targetState = 'enabled';
      } finally {
        persist();
      }
      return statusOf(e);
    },
    async disable(serviceId) {
      const e = entry(serviceId);
      const enabledChildren = dependents(serviceId).filter((id) => entry(id).instance.state !== 'disabled');
      if (enabledChildren.length) {
        throw new RuntimeError('SERVICE_HAS_DEPENDENTS', `Service ${serviceId} is used by enabled service(s) ${enabledChildren.join(', ')}; disable them first.`);
      }
      e.stored.targetState = 'disabled';
      persist();
      await e.instance.disable();
      access.removeService(serviceId);
      log.info({ service: serviceId }, 'service disabled');
      return statusOf(e);
    },
    async reconfigure(serviceId, change) {
      const e = entry(serviceId);
      const { source, fileName } = change.file ? read(change.file) : e.stored;
      const next: StoredService = {
        ...e.stored,
        fileName,
        source: overrideDefinitions(source, fileName, change.definitions ?? {}),
        parameters: change.parameters ?? e.stored.parameters,
      };
      const resolved = resolveStored(next, serviceId);
      const diff = diffServices(e.resolved.definition, resolved.definition);
      const restart = new Set([...diff.added, ...diff.removed, ...diff.changed, ...diff.affected]);
      e.stored = next;
      e.resolved = resolved;
      persist();
      if (e.instance.state === 'enabled') applyUsers(e);
      await e.instance.replace(resolved.resources, restart);
      // Resources of other services that use a restarted resource hold on to the old one: restart them too.
      for (const child of services.values()) {
        if (!child.resolved.requires.includes(serviceId) || child.instance.state !== 'enabled') continue;
        const affected = new Set<string>();
        for (const r of child.resolved.definition.resources) {
          const uses = r.externalReferences.some((x) => x.service === serviceId && restart.has(x.id));
          if (uses || r.dependsOn.some((id) => affected.has(id))) affected.add(r.id);
        }
        if (affected.size) await child.instance.replace(child.resolved.resources, affected);
      }
      log.info({ service: serviceId, restarted: [...restart] }, 'service reconfigured');
      return statusOf(e);
    },
    async uninstall(serviceId) {
      const children = dependents(serviceId);
      if (children.length) {
        throw new RuntimeError('SERVICE_HAS_DEPENDENTS', `Service ${serviceId} is used by service(s) ${children.join(', ')}; uninstall them first.`);
      }
      const e = entry(serviceId);
      await e.instance.disable();
      access.removeService(serviceId);
      services.delete(serviceId);
      persist();
      rmSync(join(dataDir, 'buffers', serviceId), { recursive: true, force: true });
      log.info({ service: serviceId }, 'service uninstalled');
    },
    status,
    async close() {
      if (closed) return;
      closed = true;
      for (const e of [...services.values()].reverse()) await e.instance.disable();
      await local.close();
      await broker?.close();
      await http?.close();
      log.info('runtime stopped');
      log.flush();
    },
  };
  return runtime;
}

function isLogger(value: unknown): value is Logger {
  return typeof value === 'object' && value !== null && typeof (value as Logger).child === 'function';
}

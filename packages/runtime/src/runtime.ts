import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diffServices } from '@iiot/commissioning';
import { createOpcuaConnectorFactory } from '@iiot/connectors-opcua/factory';
import { createAccessControl } from './broker/access-control.js';
import { startLocalBroker } from './broker/local-broker.js';
import { createConnectorRegistry } from './connector-registry.js';
import { createMqttConnectorFactory } from './connectors/mqtt-connector.js';
import { RuntimeError } from './errors.js';
import { type ObservabilityServer, startObservabilityServer } from './http/observability-server.js';
import { createLogger, type Logger } from './logger.js';
import { serviceUsers } from './resources/access-resources.js';
import type { CommissioningInput, Runtime, RuntimeOptions, RuntimeStatus } from './runtime-options.js';
import { ServiceInstance } from './service-instance.js';
import { type ResolvedService, resolveService, schemaRegistryFor } from './_internal/definition.js';
import { overrideDefinitions } from './_internal/override-definitions.js';
import { createResourceContext } from './_internal/resource-context.js';
import { createStateStore, type StoredService } from './_internal/state-store.js';

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
    createOpcuaConnectorFactory({ pkiDir: join(dataDir, 'pki', 'opcua') }),
    ...(options.connectors ?? []),
  ]);

  const broker = await startLocalBroker(options.broker ?? {}, { access, registry, dataDir, log });
  const { local } = broker;

  const contextFor = (serviceId: string) =>
    createResourceContext(serviceId, { local, registry, log, dataDir, lookup: (id) => services.get(id) });

  const read = (file: CommissioningInput) =>
    typeof file === 'string' ? { source: readFileSync(file, 'utf8'), fileName: resolve(file) } : file;

  const schemas = schemaRegistryFor(registry);
  const resolveStored = (stored: StoredService, serviceId?: string): ResolvedService =>
    resolveService(stored.source, stored.fileName, {
      ...(serviceId !== undefined && { serviceId }),
      parameters: stored.parameters,
      broker: { host: broker.host, port: broker.port, password: stored.brokerPassword },
      registry: schemas,
    });

  // Services that could not be restored at start are kept as stored, so saving does not forget them.
  const unrestored: StoredService[] = [];
  const persist = () => store.save([...unrestored, ...[...services.values()].map((e) => e.stored)]);
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
    try {
      await e.instance.enable();
    } catch (error) {
      access.removeService(e.stored.serviceId);
      throw error;
    }
    log.info({ service: e.stored.serviceId }, 'service enabled');
  };

  const dependents = (serviceId: string) =>
    [...services.values()].filter((e) => e.resolved.requires.includes(serviceId)).map((e) => e.stored.serviceId);

  // Restore what was installed, parents before children (the stored order is install order).
  for (const stored of store.load()) {
    try {
      add(stored, resolveStored(stored, stored.serviceId));
    } catch (error) {
      unrestored.push(stored);
      log.error({ service: stored.serviceId, err: error }, 'installed service could not be restored; it stays installed, fix it and restart');
    }
  }
  for (const e of services.values()) {
    if (e.stored.targetState !== 'enabled') continue;
    await enableEntry(e).catch((error) => log.error({ service: e.stored.serviceId, err: error }, 'service could not be enabled at start'));
  }

  let closed = false;
  const status = (): RuntimeStatus => ({
    broker: { url: broker.url, embedded: broker.embedded },
    services: [...services.values()].map(statusOf),
  });
  let http: ObservabilityServer | undefined;
  try {
    if (options.http !== false) http = await startObservabilityServer(options.http ?? {}, status);
  } catch (error) {
    for (const e of [...services.values()].reverse()) await e.instance.disable();
    await broker.close();
    throw error;
  }

  const runtime: Runtime = {
    brokerUrl: broker.url,
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
      await broker.close();
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

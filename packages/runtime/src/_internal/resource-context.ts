import { join } from 'node:path';
import type { Connector, MessageSink } from '@iiot/core';
import type { LocalSink } from '../broker/local-connector.js';
import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../connector-registry.js';
import { RuntimeError } from '../errors.js';
import type { ResourceContext, ResourceModel, RunningResource } from '../resources/types.js';
import { readRef } from './references.js';

/** What the context needs to know about an installed service. */
interface InstalledService {
  resolved: { resources: ResourceModel[] };
  instance: { get(resourceId: string): RunningResource | undefined };
}

/** The context the resources of one service start in; references resolve against every installed service. */
export function createResourceContext(
  serviceId: string,
  deps: { local: Connector; registry: ConnectorRegistry; log: Logger; dataDir: string; lookup(serviceId: string): InstalledService | undefined },
): ResourceContext {
  const named = (ref: { serviceId?: string; resourceId: string } | undefined, reference: unknown) =>
    ref ? `${ref.serviceId ? `${ref.serviceId}::` : ''}${ref.resourceId}` : String(reference);
  return {
    serviceId,
    mqttRoot: `services/${serviceId}`,
    local: deps.local,
    registry: deps.registry,
    log: deps.log.child({ service: serviceId }),
    dataDir: join(deps.dataDir, 'buffers', serviceId),
    publishLocal: (message) => deps.local.sink.publish(message),
    sendLocal: (message, done) => {
      const sink = deps.local.sink as Partial<LocalSink> & MessageSink;
      if (sink.send) sink.send(message, done);
      else sink.publish(message).then(() => done(), done);
    },
    resource(reference, where) {
      const ref = readRef(reference);
      const owner = ref?.serviceId ?? serviceId;
      const resource = ref && deps.lookup(owner)?.resolved.resources.find((r) => r.id === ref.resourceId);
      if (resource) return { serviceId: owner, resource };
      throw new RuntimeError('SERVICE_DEPENDENCY_MISSING', `${where} refers to resource ${named(ref, reference)}, which is not installed.`);
    },
    connection(reference, where) {
      const ref = readRef(reference);
      const handle = ref && deps.lookup(ref.serviceId ?? serviceId)?.instance.get(ref.resourceId)?.connection;
      if (handle) return handle;
      throw new RuntimeError(
        'SERVICE_DEPENDENCY_MISSING',
        `${where} refers to connection ${named(ref, reference)}, which is not running. Install and enable the service that defines it first.`,
      );
    },
  };
}

import type { ConnectorStatus, Unsubscribable } from '@iiot/core';
import type { ConnectionHandle, ResourceContext, ResourceModel, RunningResource } from './types.js';

interface ConnectionProperties {
  protocol: string;
  connection?: Record<string, unknown>;
  targetState?: 'connected' | 'disconnected';
}

/** The state a `Cybus::Connection` should reach. */
export function connectionTarget(resource: ResourceModel): 'connected' | 'disconnected' {
  return (resource.properties as unknown as ConnectionProperties).targetState ?? 'connected';
}

/**
 * Starts a `Cybus::Connection` through the connector registered for its protocol. The connector connects in
 * the background: not being connected yet is a deviation, not a failure, so enabling does not wait for it.
 */
export async function startConnection(resource: ResourceModel, ctx: ResourceContext): Promise<RunningResource> {
  const props = resource.properties as unknown as ConnectionProperties;
  const factory = ctx.registry.get(props.protocol, `resource ${resource.id} of service ${ctx.serviceId}`);
  if (connectionTarget(resource) === 'disconnected') {
    return { state: () => 'disconnected', stop: async () => {} };
  }
  const log = ctx.log.child({ resource: resource.id });
  const connector = await factory.create(props.connection ?? {}, {
    resourceId: resource.id,
    serviceId: ctx.serviceId,
    log: (level, message, facts) => log[level](facts ?? {}, message),
  });
  let last: ConnectorStatus = connector.currentStatus();
  const watch: Unsubscribable = connector.status.subscribe({
    next(status) {
      if (status.state !== last.state) {
        const facts = { from: last.state, to: status.state, ...(status.error ? { err: status.error } : {}) };
        (status.state === 'connected' ? log.info : log.warn).call(log, facts, `connection ${status.state}`);
      }
      last = status;
    },
  });
  const handle: ConnectionHandle = { connector, sink: connector.sink };
  return {
    state: () => connector.currentStatus().state,
    connection: handle,
    async stop() {
      watch.unsubscribe();
      await connector.close();
    },
  };
}

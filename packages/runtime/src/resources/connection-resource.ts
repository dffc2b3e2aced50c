import type { ConnectorStatus, Unsubscribable } from '@iiot/core';
import { type BufferedSink, type BufferingProperties, createBufferedSink } from './buffered-sink.js';
import type { ConnectionHandle, ResourceContext, ResourceModel, RunningResource } from './types.js';

interface ConnectionProperties {
  protocol: string;
  connection?: Record<string, unknown>;
  targetState?: 'connected' | 'disconnected';
  buffering?: BufferingProperties;
}

/** How long stopping a connection waits for its buffer to drain; what is left stays on disk. */
const FLUSH_MS = 5000;

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
  let buffered: BufferedSink;
  try {
    buffered = await createBufferedSink(connector.sink, { dir: ctx.dataDir, connectionId: resource.id, buffering: props.buffering, log });
  } catch (error) {
    watch.unsubscribe();
    await connector.close();
    throw error;
  }
  const handle: ConnectionHandle = { connector, sink: buffered.sink };
  return {
    state: () => connector.currentStatus().state,
    connection: handle,
    buffer: buffered.metrics,
    async stop() {
      await buffered.close(FLUSH_MS);
      watch.unsubscribe();
      await connector.close();
    },
  };
}

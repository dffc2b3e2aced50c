import {
  type Connector,
  type ConnectorContext,
  type ConnectorSubscription,
  createSubscribable,
  type Message,
  type MessageSource,
} from '@iiot/core';
import { AttributeIds, coerceNodeId, type DataType } from 'node-opcua-client';
import { resolveAddress } from './address.js';
import { backoffDelay, type OpcuaConnectionOptions, resolveConnectionOptions } from './connection-options.js';
import { fromVariant, type OpcuaDataMessage } from './data-message.js';
import { OpcuaError } from './errors.js';
import { createMonitoredEndpoints, type EndpointSink } from './_internal/monitored-endpoints.js';
import { closeSession, createCertificateManager, type OpenSession, openSession } from './_internal/open-session.js';
import { resolveNodeId } from './_internal/resolve-nodes.js';
import { createStatusHolder } from './_internal/status-holder.js';
import { toVariant } from './_internal/to-variant.js';
import { type SessionWatch, watchSession } from './_internal/watch-session.js';

/** Options of one OPC UA connection: the commissioning file's `connection` properties, plus where to log. */
export interface OpcuaConnectorOptions extends OpcuaConnectionOptions {
  /** Names the connection in errors and logs. @default the endpoint URL */
  resourceId?: string;
  /** Receives connection facts (state changes, dropped endpoints); secrets are never passed. */
  log?: ConnectorContext['log'];
}

/** A live OPC UA connection: one session, re-created after any loss, with every endpoint's monitored items. */
export interface OpcuaConnector extends Connector {
  /** Data messages `{ timestamp, value, statusCode, sourceTimestamp? }` of one node, from a shared subscription. */
  source(subscription: ConnectorSubscription): MessageSource<OpcuaDataMessage>;
  /** Reads a node's value now; rejects when the status is Bad or no session is open. */
  read(address: Record<string, unknown>): Promise<unknown>;
  /** Writes a value, converted to the variable's data type; resolves with the status code name (`Good`). */
  write(address: Record<string, unknown>, value: unknown): Promise<string>;
}

/** Connects to an OPC UA server in the background and keeps the connection, its session and its subscriptions alive. */
export function createOpcuaConnector(options: OpcuaConnectorOptions): OpcuaConnector {
  const resolved = resolveConnectionOptions(options, options.resourceId ? `connection ${options.resourceId}` : undefined);
  const where = options.resourceId ?? resolved.endpointUrl;
  const log = options.log ?? (() => {});
  const holder = createStatusHolder({ state: 'connecting' });
  const manager = createCertificateManager(resolved);
  let live: (OpenSession & { watch: SessionWatch; types: Map<string, { dataType: DataType; valueRank: number }> }) | undefined;
  let closed = false;
  let wake: (() => void) | undefined;
  const sources = new Set<() => void>();
  const endpoints = createMonitoredEndpoints({
    heard: () => live?.watch.heard(),
    broken: (reason) =>
      live?.watch.end(new OpcuaError('OPCUA_CONNECTION_LOST', `OPC UA connection ${where}: ${reason}; reconnecting.`, { retryable: true })),
  });

  const loop = (async () => {
    let attempt = 0;
    let lastError: Error | undefined;
    while (!closed) {
      try {
        const open = await openSession(resolved, manager);
        if (closed) {
          await closeSession(open, true);
          break;
        }
        attempt = 0;
        const watch = watchSession(open, resolved.keepAliveInterval, resolved.endpointUrl);
        live = { ...open, watch, types: new Map() };
        holder.set({ state: 'connected' });
        log('info', 'OPC UA session open', { connection: where, endpointUrl: resolved.endpointUrl });
        endpoints.attach(open.session);
        lastError = await watch.ended;
        live = undefined;
        if (closed) endpoints.close();
        else {
          holder.set({ state: 'reconnecting', error: lastError });
          endpoints.detach();
        }
        // A lost server cannot answer CloseSession; only a deliberate close asks for it.
        await closeSession(open, closed);
      } catch (error) {
        lastError = error as Error;
      }
      if (closed) break;
      const delay = backoffDelay(resolved.connectionStrategy, attempt++);
      if (holder.current().error !== lastError) holder.set({ state: 'reconnecting', ...(lastError && { error: lastError }) });
      log('warn', 'OPC UA connection not available', { connection: where, error: lastError?.message, retryInMs: delay });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  const session = () => {
    if (!live) {
      throw new OpcuaError('OPCUA_NOT_CONNECTED', `OPC UA connection ${where} has no open session (${holder.current().state}); try again once connected.`, {
        retryable: true,
      });
    }
    return live;
  };

  return {
    status: holder.status,
    currentStatus: holder.current,
    source(subscription) {
      return createSubscribable<Message<OpcuaDataMessage>>((observer) => {
        let sink: EndpointSink;
        try {
          const address = resolveAddress(subscription.address, `endpoint of connection ${where}`);
          sink = {
            address,
            next: (payload) => observer.next({ topic: address.label, payload, timestamp: payload.timestamp }),
            fail: (error) => {
              log('warn', error.message, { connection: where, node: address.label });
              observer.error(error);
            },
          };
        } catch (error) {
          observer.error(error);
          return undefined;
        }
        const complete = () => observer.complete();
        sources.add(complete);
        endpoints.add(sink);
        return () => {
          sources.delete(complete);
          endpoints.remove(sink);
        };
      });
    },
    sink: {
      async publish() {
        throw new OpcuaError('OPCUA_CONFIG_INVALID', `OPC UA connection ${where} takes values through write endpoints, not as a publish target.`);
      },
    },
    async read(address) {
      const s = session();
      const nodeId = await resolveNodeId(s.session, resolveAddress(address, `read on connection ${where}`));
      const dataValue = await s.session.read({ nodeId, attributeId: AttributeIds.Value });
      s.watch.heard();
      if (dataValue.statusCode.isBad()) {
        throw new OpcuaError('OPCUA_READ_FAILED', `Reading OPC UA node ${nodeId} on ${where} answered ${dataValue.statusCode.name}.`, {
          details: { node: nodeId, statusCode: dataValue.statusCode.name },
        });
      }
      return fromVariant(dataValue.value);
    },
    async write(address, value) {
      const s = session();
      const nodeId = await resolveNodeId(s.session, resolveAddress(address, `write on connection ${where}`));
      let type = s.types.get(nodeId);
      if (!type) {
        const [rank] = await s.session.read([{ nodeId, attributeId: AttributeIds.ValueRank }]);
        type = { dataType: await s.session.getBuiltInDataType(coerceNodeId(nodeId)), valueRank: Number(rank?.value.value ?? -1) };
        s.types.set(nodeId, type);
      }
      const failed = (why: string, status?: string) =>
        new OpcuaError('OPCUA_WRITE_FAILED', `Writing OPC UA node ${nodeId} on ${where} failed: ${why}.`, { details: { node: nodeId, ...(status && { statusCode: status }) } });
      let variant: ReturnType<typeof toVariant>;
      try {
        variant = toVariant(type.dataType, type.valueRank, value);
      } catch (error) {
        throw failed((error as Error).message);
      }
      const status = await s.session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: variant } });
      s.watch.heard();
      if (!status.isGood()) throw failed(`the server answered ${status.name}`, status.name);
      return status.name;
    },
    async close() {
      if (closed) return;
      closed = true;
      wake?.();
      live?.watch.end(new OpcuaError('OPCUA_CLOSED', `OPC UA connection ${where} was closed.`));
      await loop;
      for (const complete of [...sources]) complete();
      holder.set({ state: 'disconnected' });
      holder.complete();
      await manager.dispose().catch(() => {});
    },
  };
}

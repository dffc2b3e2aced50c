import {
  AttributeIds,
  type ClientMonitoredItemBase,
  type ClientSession,
  type ClientSessionRawSubscriptionService,
  type ClientSubscription,
  type DataValue,
  TimestampsToReturn,
} from 'node-opcua-client';
import type { ResolvedAddress } from '../address.js';
import { LOST_STATUS, type OpcuaDataMessage, toDataMessage } from '../data-message.js';
import { OpcuaError } from '../errors.js';
import { resolveNodeIds } from './resolve-nodes.js';

/** Where one subscribed endpoint's data messages go. */
export interface EndpointSink {
  readonly address: ResolvedAddress;
  next(payload: OpcuaDataMessage): void;
  /** The endpoint's node cannot be monitored (unknown node id, browse path without a match); it is dropped. */
  fail(error: OpcuaError): void;
}

interface Entry {
  sink: EndpointSink;
  item?: ClientMonitoredItemBase;
  subscription?: ClientSubscription;
  /** A loss was reported and no value has arrived since, so the next loss is not reported again. */
  lost: boolean;
}

/** The monitored items of one connection, kept across sessions. */
export interface MonitoredEndpoints {
  add(sink: EndpointSink): void;
  remove(sink: EndpointSink): void;
  /** Creates the subscriptions and monitored items of every endpoint on a new session. */
  attach(session: ClientSession): void;
  /** Forgets the session's subscriptions and marks every endpoint Bad once. */
  detach(): void;
  /** Forgets the session without marking anything: the connection is being closed. */
  close(): void;
}

export interface MonitoredEndpointsOptions {
  /** Called on every publish response (data or keep-alive): the server is alive. */
  heard(): void;
  /**
   * The session can no longer serve the endpoints (items could not be created, the server ended a
   * subscription): the caller drops the session, and the next one re-creates everything.
   */
  broken(reason: string): void;
}

/**
 * Endpoints with the same publishInterval share one subscription; new endpoints are collected for one
 * event-loop turn, and those with the same samplingInterval and queueSize are created in one request.
 */
export function createMonitoredEndpoints(options: MonitoredEndpointsOptions): MonitoredEndpoints {
  const entries = new Map<EndpointSink, Entry>();
  let session: ClientSession | undefined;
  let subscriptions = new Map<number, Promise<ClientSubscription>>();
  const pending = new Set<Entry>();
  let flushScheduled = false;

  // Collecting for one event-loop turn lets endpoints started together share one CreateMonitoredItems request.
  const schedule = (entry: Entry) => {
    pending.add(entry);
    if (flushScheduled || !session) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      const batch = [...pending].filter((e) => entries.get(e.sink) === e);
      pending.clear();
      if (session && batch.length > 0) void create(session, batch);
    });
  };

  const subscriptionFor = (s: ClientSession, publishInterval: number): Promise<ClientSubscription> => {
    let subscription = subscriptions.get(publishInterval);
    if (!subscription) {
      subscription = s
        .createSubscription2({
          requestedPublishingInterval: publishInterval,
          // A keep-alive at least every ~10 s, so silence is noticed even on slow subscriptions.
          requestedMaxKeepAliveCount: Math.max(3, Math.min(100, Math.ceil(10_000 / Math.max(publishInterval, 1)))),
          requestedLifetimeCount: 1000,
          maxNotificationsPerPublish: 0,
          publishingEnabled: true,
        })
        .then((sub) => {
          sub.on('keepalive', options.heard);
          sub.on('received_notifications', options.heard);
          sub.on('terminated', () => {
            if (!retired.has(sub) && s === session) options.broken(`the server ended the subscription of ${publishInterval} ms`);
          });
          return sub;
        });
      subscriptions.set(publishInterval, subscription);
    }
    return subscription;
  };

  const create = async (s: ClientSession, batch: Entry[]): Promise<void> => {
    try {
      const nodeIds = await resolveNodeIds(s, batch.map((e) => e.sink.address));
      const groups = new Map<string, { entries: Entry[]; nodeIds: string[] }>();
      batch.forEach((entry, i) => {
        const nodeId = nodeIds[i]!;
        if (nodeId instanceof OpcuaError) {
          drop(entry, nodeId);
          return;
        }
        const { publishInterval, samplingInterval, queueSize } = entry.sink.address;
        const key = `${publishInterval}/${samplingInterval}/${queueSize}`;
        const group = groups.get(key) ?? { entries: [], nodeIds: [] };
        group.entries.push(entry);
        group.nodeIds.push(nodeId);
        groups.set(key, group);
      });
      await Promise.all([...groups.values()].map((group) => monitor(s, group.entries, group.nodeIds)));
    } catch (error) {
      if (s === session) options.broken(`monitored items could not be created (${(error as Error).message})`);
    }
  };

  const monitor = async (s: ClientSession, group: Entry[], nodeIds: string[]): Promise<void> => {
    const { publishInterval, samplingInterval, queueSize } = group[0]!.sink.address;
    const subscription = await subscriptionFor(s, publishInterval);
    const items = await subscription.monitorItems(
      nodeIds.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval, queueSize, discardOldest: true },
      TimestampsToReturn.Both,
    );
    if (s !== session) return;
    items.on('changed', (_item: ClientMonitoredItemBase, dataValue: DataValue, index: number) => {
      const entry = group[index]!;
      if (entries.get(entry.sink) !== entry) return;
      entry.lost = false;
      entry.sink.next(toDataMessage(dataValue, receivedAt()));
    });
    items.monitoredItems.forEach((item, i) => {
      const entry = group[i]!;
      if (item.statusCode.isGood()) {
        entry.item = item;
        entry.subscription = subscription;
      } else drop(entry, notMonitorable(entry.sink.address, item.statusCode.name));
    });
  };

  // Endpoints stopped together are deleted together: one request per subscription, or the whole
  // subscription when none of its endpoints is left.
  const removals = new Set<Entry>();
  const retired = new WeakSet<ClientSubscription>();
  const flushRemovals = () => {
    const byInterval = new Map<number, { subscription: ClientSubscription; ids: number[] }>();
    for (const entry of removals) {
      const interval = entry.sink.address.publishInterval;
      const group = byInterval.get(interval) ?? { subscription: entry.subscription!, ids: [] };
      group.ids.push(entry.item!.monitoredItemId!);
      byInterval.set(interval, group);
    }
    removals.clear();
    if (!session) return;
    const inUse = new Set([...entries.values()].map((e) => e.sink.address.publishInterval));
    for (const [interval, { subscription, ids }] of byInterval) {
      if (inUse.has(interval)) {
        const raw = session as unknown as ClientSessionRawSubscriptionService;
        raw.deleteMonitoredItems({ subscriptionId: subscription.subscriptionId, monitoredItemIds: ids }).catch(() => {});
      } else {
        subscriptions.delete(interval);
        retired.add(subscription);
        subscription.terminate().catch(() => {});
      }
    }
  };

  const drop = (entry: Entry, error: OpcuaError) => {
    entries.delete(entry.sink);
    entry.sink.fail(error);
  };

  return {
    add(sink) {
      const entry: Entry = { sink, lost: false };
      entries.set(sink, entry);
      schedule(entry);
    },
    remove(sink) {
      const entry = entries.get(sink);
      entries.delete(sink);
      if (entry?.item && entry.subscription) {
        removals.add(entry);
        if (removals.size === 1) setImmediate(flushRemovals);
      }
    },
    attach(s) {
      session = s;
      subscriptions = new Map();
      pending.clear();
      removals.clear();
      for (const entry of entries.values()) {
        entry.item = undefined;
        entry.subscription = undefined;
        schedule(entry);
      }
    },
    close() {
      session = undefined;
      subscriptions = new Map();
      pending.clear();
      removals.clear();
    },
    detach() {
      this.close();
      for (const entry of entries.values()) {
        entry.item = undefined;
        entry.subscription = undefined;
        if (entry.lost) continue;
        entry.lost = true;
        entry.sink.next({ timestamp: Date.now(), value: null, statusCode: LOST_STATUS });
      }
    },
  };
}

let batchTime = 0;
/**
 * The time the current publish response arrived: node-opcua hands out all values of one response in one
 * synchronous run, so they share one clock reading (on a busy gateway, Date.now per value is measurable).
 */
function receivedAt(): number {
  if (batchTime === 0) {
    batchTime = Date.now();
    queueMicrotask(() => {
      batchTime = 0;
    });
  }
  return batchTime;
}

function notMonitorable(address: ResolvedAddress, status: string): OpcuaError {
  return new OpcuaError(
    'OPCUA_NODE_INVALID',
    `OPC UA node ${address.label} cannot be monitored: the server answered ${status}. Check the endpoint's nodeId against the server's address space.`,
    { details: { node: address.label, statusCode: status } },
  );
}

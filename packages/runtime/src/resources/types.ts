import type { Connector, Message, MessageSink } from '@iiot/core';
import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../connector-registry.js';

/** One resource of a resolved service, as the runtime runs it. */
export interface ResourceModel {
  id: string;
  /** `Cybus::Connection`, `Cybus::Mapping` … */
  type: string;
  properties: Record<string, unknown>;
}

/** Actual states a resource reports. Connections use the connector's states; others enabled/disabled. */
export type ResourceState =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'disconnected'
  | 'enabled'
  | 'disabled'
  | 'failed'
  | 'unsupported';

/** A connection as other resources use it: the connector, and a buffered way to send through it. */
export interface ConnectionHandle {
  readonly connector: Connector;
  /** Sends through the connection's store-and-forward buffer (or straight to the sink when it has none). */
  readonly sink: MessageSink;
}

/** Counters every flow of messages (mapping or endpoint) keeps, for status and metrics. */
export interface FlowMetrics {
  in: number;
  out: number;
  dropped: number;
  errored: number;
  /** Epoch ms of the last message forwarded, 0 if none. */
  lastForwardedAt: number;
}

/** Depth of a sink's buffer. */
export interface BufferMetrics {
  messages: number;
  bytes: number;
  /** Age of the oldest buffered message in ms, 0 when empty. */
  oldestAgeMs: number;
  /** Messages discarded by the overflow policy or expired by age. */
  dropped: number;
  /** Messages the target refused for good (not retryable), logged and skipped. */
  rejected: number;
}

/** What a running resource reports and how it stops. */
export interface RunningResource {
  state(): ResourceState;
  /** A connection's handle, for endpoints and mappings that reference it. */
  connection?: ConnectionHandle;
  flow?(): FlowMetrics;
  buffer?(): BufferMetrics | undefined;
  /** Stops the resource; buffers are flushed as far as the target accepts within the shutdown budget. */
  stop(): Promise<void>;
}

/** What starting a resource may use. */
export interface ResourceContext {
  serviceId: string;
  /** `services/<serviceId>`. */
  mqttRoot: string;
  /** The local broker as a connector. */
  local: Connector;
  registry: ConnectorRegistry;
  log: Logger;
  dataDir: string;
  /** A connection of this service or, for `other::id`, of another installed service. */
  connection(reference: unknown, where: string): ConnectionHandle;
  /** The definition of a resource of this service or, for `other::id`, of another installed service. */
  resource(reference: unknown, where: string): { serviceId: string; resource: ResourceModel };
  /** Publishes on the local broker. */
  publishLocal(message: Message): Promise<void>;
  /** Publishes on the local broker without a promise (for per-value paths); `done` is called once, with the error of a refusal. */
  sendLocal(message: Message, done: (error?: unknown) => void): void;
}

import type { MessageSink, MessageSource, Subscribable } from './contracts.js';
import type { QoS } from './message.js';

/** The life of one connection, as every connector reports it. */
export type ConnectorState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A state change of a connection, with the error that caused it when there was one. */
export interface ConnectorStatus {
  state: ConnectorState;
  /** Why the connection is not connected (already redacted by the connector). */
  error?: Error;
}

/** What a subscribe endpoint or mapping asks a connection for: a topic filter (MQTT) or a protocol address. */
export interface ConnectorSubscription {
  /** MQTT topic filter, with named wildcards (`+name`, `#name`) allowed. */
  topic?: string;
  /** Protocol-specific address (an OPC UA `nodeId`, `browsePath` …) as written in the commissioning file. */
  address?: Record<string, unknown>;
  qos?: QoS;
}

/** A live connection made by a connector: its state, sources, a sink, and a way to close it. */
export interface Connector {
  /** The current state, then every change; emits the current value on subscribe. */
  readonly status: Subscribable<ConnectorStatus>;
  /** The state right now. */
  currentStatus(): ConnectorStatus;
  /** Messages for one subscription; subscribing starts it on the device or broker, unsubscribing ends it. */
  source(subscription: ConnectorSubscription): MessageSource;
  /** Where messages are published; resolves once the other side acknowledged. */
  readonly sink: MessageSink;
  /** Reads one value on request (polled protocols, OPC UA read endpoints). */
  read?(address: Record<string, unknown>): Promise<unknown>;
  /** Writes one value (OPC UA write endpoints). */
  write?(address: Record<string, unknown>, value: unknown): Promise<unknown>;
  /** Ends the connection and every source made from it. */
  close(): Promise<void>;
}

/** What a connector factory gets to make a connection. */
export interface ConnectorContext {
  /** The connection's resource id, for messages and client ids. */
  resourceId: string;
  /** The service the connection belongs to. */
  serviceId: string;
  /** Logs facts worth keeping; the runtime redacts secrets before writing them. */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string, facts?: Record<string, unknown>) => void;
}

/** Makes connections for one protocol from the resolved `connection` properties of a `Cybus::Connection`. */
export interface ConnectorFactory<Properties = Record<string, unknown>> {
  /** The protocol name as written in commissioning files (`Mqtt`, `Opcua` …). */
  readonly protocol: string;
  /** A JSON Schema for the `connection` properties, so validators can check files before running them. */
  readonly connectionSchema?: Record<string, unknown>;
  /** A JSON Schema for an endpoint's `subscribe` / `read` / `write` address in this protocol. */
  readonly addressSchema?: Record<string, unknown>;
  /** Creates the connection; it connects in the background and reports progress through `status`. */
  create(properties: Properties, context: ConnectorContext): Connector | Promise<Connector>;
}

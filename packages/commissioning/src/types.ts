import type { QoS } from '@iiot/core';

/** A `!ref` to a resource of the same file, resolved: its id and its type. */
export interface ResourceReference {
  readonly kind: 'resource';
  readonly id: string;
  readonly type: string;
}

/** A `!ref otherService::resourceId`, left for the runtime to resolve against installed services. */
export interface ExternalReference {
  readonly kind: 'external';
  readonly service: string;
  readonly id: string;
}

/** A resolved `!ref` to a resource. */
export type Reference = ResourceReference | ExternalReference;

/** The `metadata` block of a file. */
export interface ServiceMetadata {
  readonly name: string;
  readonly version?: string;
  readonly provider?: string;
  readonly homepage?: string;
  readonly icon?: string;
}

/** A parameter's declaration (a JSON-Schema subset) as written in the file. */
export interface ParameterSpec {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  readonly default?: unknown;
  readonly description?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
}

/** A declared parameter with the value it took: given by the caller, or its default. */
export interface ResolvedParameter {
  readonly spec: ParameterSpec;
  readonly value: unknown;
  readonly source: 'given' | 'default';
}

/** Backoff between reconnect attempts, in milliseconds. */
export interface ConnectionStrategy {
  /** @default 1000 */
  readonly initialDelay: number;
  /** @default 30000 */
  readonly maxDelay: number;
  /** @default 2 */
  readonly incrementFactor: number;
}

/** (ext) Store-and-forward for a connection that is written to while the far side is unreachable. */
export interface BufferingOptions {
  /** Where messages wait while offline. @default 'disk' */
  readonly store: 'memory' | 'disk';
  /** @default 100000 */
  readonly maxMessages: number;
  /** @default 104857600 (100 MiB) */
  readonly maxBytes: number;
  /** Messages older than this many milliseconds are dropped; unset keeps them until sent. */
  readonly maxAge?: number;
  /** What to do when a limit is reached. @default 'drop-oldest' */
  readonly onOverflow: 'drop-oldest' | 'drop-newest' | 'block';
}

/** `connection` of an Mqtt `Cybus::Connection`. PEM fields hold the certificate text itself. */
export interface MqttConnectionOptions {
  readonly host: string;
  readonly port?: number;
  readonly scheme?: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  readonly keepalive?: number;
  readonly clean?: boolean;
  readonly mutualAuthentication?: boolean;
  readonly caCert?: string;
  readonly clientCert?: string;
  readonly clientPrivateKey?: string;
  readonly trustAllCertificates?: boolean;
  readonly protocolVersion?: 3 | 4 | 5;
  readonly will?: { readonly topic: string; readonly payload?: string; readonly qos?: QoS; readonly retain?: boolean };
  readonly connectionStrategy: ConnectionStrategy;
}

/** `connection` of an Opcua `Cybus::Connection`. */
export interface OpcuaConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly resourcePath?: string;
  readonly username?: string;
  readonly password?: string;
  readonly options?: {
    readonly securityMode?: 'None' | 'Sign' | 'SignAndEncrypt';
    readonly securityPolicy?: string;
  };
  /** X.509 user identity (PEM text), with `userPrivateKey`. */
  readonly userCertificate?: string;
  readonly userPrivateKey?: string;
  readonly trustAllCertificates?: boolean;
  readonly pkiDir?: string;
  readonly keepAliveInterval?: number;
  readonly requestTimeout?: number;
  readonly applicationName?: string;
  readonly connectionStrategy: ConnectionStrategy;
}

/** `properties` of a `Cybus::Connection`; `connection` is typed by the protocol's registered schema. */
export interface ConnectionProperties<C = Record<string, unknown>> {
  readonly protocol: string;
  readonly connection: C;
  /** @default 'connected' */
  readonly targetState: 'connected' | 'disconnected';
  readonly buffering?: BufferingOptions;
}

/** An MQTT address of an endpoint or of a subscription on an external broker. */
export interface MqttAddress {
  readonly topic: string;
  readonly qos?: QoS;
  readonly retain?: boolean;
}

/** An OPC UA address: `nodeId` or `browsePath`. `interval` is kept for files of the reference design. */
export interface OpcuaAddress {
  readonly nodeId?: string;
  readonly browsePath?: string;
  /** @default 1000 */
  readonly publishInterval: number;
  readonly samplingInterval?: number;
  /** Written by older files; a connector uses it as the publish interval when `publishInterval` is not given. */
  readonly interval?: number;
  readonly [key: string]: unknown;
}

/** One rule of a chain; each is an object with exactly one key. */
export type Rule =
  | { readonly transform: { readonly expression: string } }
  | { readonly filter: { readonly expression: string } }
  | { readonly parse: { readonly format: string } }
  | { readonly setContextVars: { readonly vars: Readonly<Record<string, string>> } }
  | { readonly stash: { readonly label?: string } }
  | {
      readonly cov: { readonly key?: string; readonly deadband?: number; readonly deadbandMode?: 'absolute' | 'relative' };
    }
  | { readonly collect: Readonly<Record<string, never>> }
  | { readonly burst: { readonly interval?: number; readonly maxSize?: number } };

/** `properties` of a `Cybus::Endpoint`: exactly one of `subscribe`, `read`, `write` is set. */
export interface EndpointProperties<A = Record<string, unknown>> {
  readonly protocol: string;
  readonly connection: Reference;
  readonly subscribe?: A;
  readonly read?: A;
  readonly write?: A;
  /** Relative to `services/<serviceId>/`; defaults to the resource id. */
  readonly topic: string;
  readonly rules: readonly Rule[];
  readonly qos?: QoS;
  readonly retain?: boolean;
}

/** One source of a mapping entry: a topic on the local broker (or `connection`'s), or an endpoint. */
export interface MappingSubscribe {
  /** A topic filter with named wildcards, `!sub` already applied. */
  readonly topic?: string;
  readonly endpoint?: Reference;
  /** An Mqtt connection to subscribe on instead of the local broker. */
  readonly connection?: Reference;
  readonly qos?: QoS;
  readonly label?: string;
}

/** The target of a mapping entry: a topic template (`$name`, `{name}`) and/or an endpoint. */
export interface MappingPublish {
  readonly topic?: string;
  readonly endpoint?: Reference;
  /** An Mqtt connection to publish on instead of the local broker. */
  readonly connection?: Reference;
  readonly qos?: QoS;
  readonly retain?: boolean;
}

/** One entry of `mappings`; `subscribe` is always a list here, even when the file wrote one object. */
export interface MappingEntry {
  readonly subscribe: readonly MappingSubscribe[];
  readonly publish: MappingPublish;
  readonly rules: readonly Rule[];
}

/** `properties` of a `Cybus::Mapping`. */
export interface MappingProperties {
  readonly mappings: readonly MappingEntry[];
  /** @default 'enabled' */
  readonly targetState: 'enabled' | 'disabled';
}

/** A permission of a role or user, enforced by the embedded broker when `context` is mqtt. */
export interface Permission {
  /** A topic filter (mqtt) or a path pattern (http). */
  readonly resource: string;
  readonly operation: 'read' | 'write' | 'readWrite';
  /** @default 'mqtt' */
  readonly context: 'mqtt' | 'http';
}

/** `properties` of a `Cybus::User`. `password` is a secret. */
export interface UserProperties {
  readonly password?: string;
  readonly roles?: readonly Reference[];
  readonly permissions?: readonly Permission[];
}

/** `properties` of a `Cybus::Role`. */
export interface RoleProperties {
  readonly permissions: readonly Permission[];
}

/**
 * The typed `properties` of each built-in resource type. A package that registers its own type may add it
 * here by declaration merging.
 */
export interface ResourcePropertiesByType {
  'Cybus::Connection': ConnectionProperties;
  'Cybus::Endpoint': EndpointProperties;
  'Cybus::Mapping': MappingProperties;
  'Cybus::User': UserProperties;
  'Cybus::Role': RoleProperties;
}

/** A resource after resolution; `properties` is typed for the types in `ResourcePropertiesByType`. */
export interface ResourceDefinition<T extends string = string> {
  readonly id: string;
  readonly type: T;
  readonly properties: T extends keyof ResourcePropertiesByType ? ResourcePropertiesByType[T] : Record<string, unknown>;
  /** Ids of resources of this file that this one references; they come earlier in `resources`. */
  readonly dependsOn: readonly string[];
  /** References to resources of other services, for the runtime to resolve. */
  readonly externalReferences: readonly ExternalReference[];
  /** Where the resource is declared (1-based). */
  readonly line: number;
  readonly column: number;
}

/** Narrows a resource to one type, so its `properties` are typed. */
export function isResourceType<T extends keyof ResourcePropertiesByType>(
  resource: ResourceDefinition,
  type: T,
): resource is ResourceDefinition<T> {
  return resource.type === type;
}

/** A commissioning file after parsing, substitution, validation and ordering. */
export interface ServiceDefinition {
  readonly serviceId: string;
  readonly file: string;
  readonly description?: string;
  readonly metadata: ServiceMetadata;
  readonly parameters: Readonly<Record<string, ResolvedParameter>>;
  /** Every resource, dependencies first (connections before the endpoints and mappings that use them). */
  readonly resources: readonly ResourceDefinition[];
}

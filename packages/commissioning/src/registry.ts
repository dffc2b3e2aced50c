import { IiotError } from '@iiot/core';
import { builtinResourceTypes, rulesSchema } from './builtin-schemas.js';
import { bufferingSchema, connectionStrategySchema, mqttProtocol, opcuaProtocol, qos } from './protocol-schemas.js';
import { compileSchema } from './_internal/ajv.js';

/** A JSON Schema (draft-07 vocabulary, plus the `reference` keyword for properties that take a `!ref`). */
export type JsonSchema = Record<string, unknown>;

/** What a connector declares: the schema of a connection's `connection` block and of an endpoint's address. */
export interface ProtocolSchema {
  /** As written in `protocol:`, for example `Mqtt`. */
  readonly name: string;
  /** Schema of `properties.connection` of a `Cybus::Connection`; `connectionStrategy` is added to it. */
  readonly connection: JsonSchema;
  /** Schema of `subscribe`, `read` and `write` of a `Cybus::Endpoint`. */
  readonly address: JsonSchema;
}

/** A resource type and the schema of its `properties`. A type ending in `::*` covers a whole namespace. */
export interface ResourceTypeSchema {
  readonly type: string;
  readonly properties: JsonSchema;
}

/** Codes of errors thrown while registering schemas. */
export type SchemaRegistryErrorCode = 'SCHEMA_ALREADY_REGISTERED' | 'SCHEMA_INVALID';

/** The protocols and resource types a validation accepts. */
export interface SchemaRegistry {
  /** Adds a protocol; throws `SCHEMA_ALREADY_REGISTERED` for a known name, `SCHEMA_INVALID` for a bad schema. */
  registerProtocol(protocol: ProtocolSchema): SchemaRegistry;
  /** Adds a resource type; same errors as `registerProtocol`. */
  registerResourceType(resourceType: ResourceTypeSchema): SchemaRegistry;
  /** Registered protocol names, in registration order. */
  protocolNames(): string[];
  /** Registered resource types, in registration order. */
  resourceTypeNames(): string[];
  /** Whether `type` is registered (directly or through a `::*` namespace). */
  hasResourceType(type: string): boolean;
  /**
   * The full schema of a resource's `properties`; for `Cybus::Connection` and `Cybus::Endpoint` it depends on the
   * protocol. `undefined` when the type or protocol is not registered.
   */
  propertiesSchema(type: string, protocol?: string): JsonSchema | undefined;
}

export interface SchemaRegistryOptions {
  /** Start with the `Cybus::*` types and the Mqtt and Opcua protocols. @default true */
  builtins?: boolean;
}

const PROTOCOL_TYPES = new Set(['Cybus::Connection', 'Cybus::Endpoint']);

/** Creates a registry of resource and protocol schemas, with the built-in set unless told otherwise. */
export function createSchemaRegistry(options: SchemaRegistryOptions = {}): SchemaRegistry {
  const protocols = new Map<string, ProtocolSchema>();
  const types = new Map<string, ResourceTypeSchema>();
  const namespaces: string[] = [];
  const composed = new Map<string, JsonSchema>();

  const checkSchema = (what: string, schema: JsonSchema) => {
    try {
      compileSchema(schema);
    } catch (cause) {
      throw new IiotError<SchemaRegistryErrorCode>('SCHEMA_INVALID', `The schema of ${what} is not a valid JSON Schema: ${(cause as Error).message}`, {
        cause,
      });
    }
  };
  const taken = (what: string) =>
    new IiotError<SchemaRegistryErrorCode>('SCHEMA_ALREADY_REGISTERED', `${what} is already registered; register each name once.`);

  const registry: SchemaRegistry = {
    registerProtocol(protocol) {
      if (protocols.has(protocol.name)) throw taken(`Protocol ${protocol.name}`);
      checkSchema(`protocol ${protocol.name}`, { properties: { c: protocol.connection, a: protocol.address } });
      protocols.set(protocol.name, protocol);
      return registry;
    },
    registerResourceType(resourceType) {
      if (types.has(resourceType.type) || PROTOCOL_TYPES.has(resourceType.type)) throw taken(`Resource type ${resourceType.type}`);
      checkSchema(`resource type ${resourceType.type}`, resourceType.properties);
      types.set(resourceType.type, resourceType);
      if (resourceType.type.endsWith('::*')) namespaces.push(resourceType.type.slice(0, -1));
      return registry;
    },
    protocolNames: () => [...protocols.keys()],
    resourceTypeNames: () => [...PROTOCOL_TYPES, ...types.keys()],
    hasResourceType: (type) => PROTOCOL_TYPES.has(type) || findType(type) !== undefined,
    propertiesSchema(type, protocol) {
      if (!PROTOCOL_TYPES.has(type)) return findType(type)?.properties;
      const p = protocol === undefined ? undefined : protocols.get(protocol);
      if (!p) return undefined;
      const key = `${type}\u0000${p.name}`;
      let schema = composed.get(key);
      if (!schema) {
        schema = type === 'Cybus::Connection' ? connectionSchema(p) : endpointSchema(p);
        composed.set(key, schema);
      }
      return schema;
    },
  };

  function findType(type: string): ResourceTypeSchema | undefined {
    const direct = types.get(type);
    if (direct) return direct;
    const ns = namespaces.find((prefix) => type.startsWith(prefix) && type.length > prefix.length);
    return ns === undefined ? undefined : types.get(`${ns}*`);
  }

  if (options.builtins ?? true) {
    registry.registerProtocol(mqttProtocol).registerProtocol(opcuaProtocol);
    for (const t of builtinResourceTypes) registry.registerResourceType(t);
  }
  return registry;
}

function connectionSchema(p: ProtocolSchema): JsonSchema {
  const connection = p.connection as { properties?: Record<string, JsonSchema> };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['protocol', 'connection'],
    properties: {
      protocol: { const: p.name },
      connection: {
        ...p.connection,
        properties: { ...connection.properties, connectionStrategy: connectionStrategySchema },
      },
      targetState: { enum: ['connected', 'disconnected'], default: 'connected' },
      buffering: bufferingSchema,
    },
  };
}

function endpointSchema(p: ProtocolSchema): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['protocol', 'connection'],
    properties: {
      protocol: { const: p.name },
      connection: { reference: { to: 'Cybus::Connection', protocol: p.name } },
      subscribe: p.address,
      read: p.address,
      write: p.address,
      topic: { type: 'string', minLength: 1 },
      rules: rulesSchema,
      qos,
      retain: { type: 'boolean' },
    },
  };
}

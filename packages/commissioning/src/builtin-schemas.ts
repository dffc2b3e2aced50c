import { interval, qos } from './protocol-schemas.js';
import type { JsonSchema, ResourceTypeSchema } from './registry.js';

// Schemas of the built-in resource types, the rule chain, metadata and parameter declarations. A property whose
// value must be a `!ref` to a resource says so with the `reference` keyword: { reference: { to, protocol? } }.

const PARSE_FORMATS = ['json', 'utf8', 'latin1', 'ascii', 'boolean', 'int8', 'uint8'];
for (const bits of ['16', '32']) {
  for (const sign of ['int', 'uint']) PARSE_FORMATS.push(`${sign}${bits}BE`, `${sign}${bits}LE`);
}
PARSE_FORMATS.push('floatBE', 'floatLE', 'doubleBE', 'doubleLE');

const expression: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['expression'],
  properties: { expression: { type: 'string', minLength: 1, description: 'JSONata.' } },
};

/** A rule chain: each rule is an object with exactly one key. */
export const rulesSchema: JsonSchema = {
  type: 'array',
  default: [],
  items: {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
    properties: {
      transform: expression,
      filter: expression,
      parse: {
        type: 'object',
        additionalProperties: false,
        required: ['format'],
        properties: { format: { enum: PARSE_FORMATS } },
      },
      setContextVars: {
        type: 'object',
        additionalProperties: false,
        required: ['vars'],
        properties: {
          vars: { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, additionalProperties: { type: 'string' } },
        },
      },
      stash: { type: 'object', additionalProperties: false, properties: { label: { type: 'string', minLength: 1 } } },
      cov: {
        type: 'object',
        additionalProperties: false,
        properties: {
          key: { type: 'string', minLength: 1 },
          deadband: { type: 'number', minimum: 0 },
          deadbandMode: { enum: ['absolute', 'relative'] },
        },
      },
      collect: { type: 'object', additionalProperties: false, properties: {} },
      burst: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { interval, maxSize: { type: 'integer', minimum: 1 } },
      },
    },
  },
};

const mqttConnectionRef: JsonSchema = { reference: { to: 'Cybus::Connection', protocol: 'Mqtt' } };
const subscription: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    topic: { type: 'string', minLength: 1 },
    endpoint: { reference: { to: 'Cybus::Endpoint' } },
    connection: mqttConnectionRef,
    qos,
    label: { type: 'string' },
  },
};

const mappingSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['mappings'],
  properties: {
    mappings: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['subscribe', 'publish'],
        properties: {
          subscribe: {
            if: { type: 'array' },
            // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword.
            then: { type: 'array', minItems: 1, items: subscription },
            else: subscription,
          },
          publish: {
            type: 'object',
            additionalProperties: false,
            properties: {
              topic: { type: 'string', minLength: 1 },
              endpoint: { reference: { to: 'Cybus::Endpoint' } },
              connection: mqttConnectionRef,
              qos,
              retain: { type: 'boolean' },
            },
          },
          rules: rulesSchema,
        },
      },
    },
    targetState: { enum: ['enabled', 'disabled'], default: 'enabled' },
  },
};

const permission: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['resource', 'operation'],
  properties: {
    resource: { type: 'string', minLength: 1 },
    operation: { enum: ['read', 'write', 'readWrite'] },
    context: { enum: ['mqtt', 'http'], default: 'mqtt' },
  },
};

/** The built-in resource types besides `Cybus::Connection` and `Cybus::Endpoint`, whose schemas follow the protocol. */
export const builtinResourceTypes: readonly ResourceTypeSchema[] = [
  { type: 'Cybus::Mapping', properties: mappingSchema },
  {
    type: 'Cybus::User',
    properties: {
      type: 'object',
      additionalProperties: false,
      properties: {
        password: { type: 'string' },
        roles: { type: 'array', items: { reference: { to: 'Cybus::Role' } } },
        permissions: { type: 'array', items: permission },
      },
    },
  },
  {
    type: 'Cybus::Role',
    properties: {
      type: 'object',
      additionalProperties: false,
      required: ['permissions'],
      properties: { permissions: { type: 'array', items: permission } },
    },
  },
  // Recognised so that files using them validate; a runtime that does not run them says so per resource.
  ...['Cybus::Container', 'Cybus::Volume', 'Cybus::File', 'Cybus::IngressRoute', 'Cybus::Link', 'Cybus::Server::*', 'Cybus::Node::*'].map(
    (type): ResourceTypeSchema => ({ type, properties: { type: 'object' } }),
  ),
];

/** A parameter declaration. */
export const parameterSpecSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: ['string', 'number', 'integer', 'boolean', 'array', 'object'] },
    default: {},
    description: { type: 'string', maxLength: 4000 },
    enum: { type: 'array', minItems: 1 },
    minimum: { type: 'number' },
    maximum: { type: 'number' },
    minLength: { type: 'integer', minimum: 0 },
    maxLength: { type: 'integer', minimum: 0 },
    pattern: { type: 'string' },
  },
};

/** The `metadata` block. */
export const metadataSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 80 },
    version: { type: ['string', 'number'] },
    provider: { type: 'string' },
    homepage: { type: 'string', pattern: '^https?://' },
    icon: { type: 'string' },
  },
};

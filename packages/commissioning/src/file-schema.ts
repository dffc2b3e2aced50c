import { metadataSchema, parameterSpecSchema } from './builtin-schemas.js';
import { type JsonSchema, type SchemaRegistry, createSchemaRegistry } from './registry.js';

// In the editor a `!ref` is a tagged string (yaml-language-server: customTags ["!ref scalar", "!sub scalar"]),
// so a property that takes a reference is a string there.
function forEditor(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forEditor);
  if (schema === null || typeof schema !== 'object') return schema;
  const { reference, ...rest } = schema as { reference?: { to: string; protocol?: string } } & JsonSchema;
  if (reference) {
    const what = reference.protocol ? `${reference.protocol} ${reference.to}` : reference.to;
    return { type: 'string', description: `!ref to a ${what}` };
  }
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, forEditor(v)]));
}

function whenType(type: string, protocol: string | undefined, properties: JsonSchema): JsonSchema {
  const condition: JsonSchema = { properties: { type: { const: type } }, required: ['type'] };
  if (protocol !== undefined) {
    (condition.properties as JsonSchema).properties = { properties: { protocol: { const: protocol } }, required: ['protocol'] };
  }
  // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword.
  return { if: condition, then: { properties: { properties: forEditor(properties) } } };
}

/**
 * A JSON Schema of the whole commissioning file for editors (yaml-language-server), generated from the schemas
 * the validator uses: the built-in set, or whatever `registry` holds.
 */
export function createCommissioningJsonSchema(registry: SchemaRegistry = createSchemaRegistry()): JsonSchema {
  const types = registry.resourceTypeNames();
  const exact = types.filter((t) => !t.endsWith('::*'));
  const namespaces = types.filter((t) => t.endsWith('::*')).map((t) => `^${t.slice(0, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  const conditions: JsonSchema[] = [];
  for (const type of types) {
    if (type === 'Cybus::Connection' || type === 'Cybus::Endpoint') {
      for (const protocol of registry.protocolNames()) conditions.push(whenType(type, protocol, registry.propertiesSchema(type, protocol)!));
    } else if (!type.endsWith('::*')) conditions.push(whenType(type, undefined, registry.propertiesSchema(type)!));
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Commissioning file',
    type: 'object',
    additionalProperties: false,
    required: ['metadata'],
    properties: {
      description: { type: 'string' },
      metadata: metadataSchema,
      parameters: { type: 'object', additionalProperties: parameterSpecSchema },
      definitions: { type: 'object', description: 'Values reachable with !ref, and with !sub as placeholders.' },
      resources: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          required: ['type'],
          properties: {
            type: { anyOf: [{ enum: exact }, ...namespaces.map((pattern) => ({ type: 'string', pattern }))] },
            properties: { type: 'object' },
          },
          allOf: conditions,
        },
      },
    },
  };
}

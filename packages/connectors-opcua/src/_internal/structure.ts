/** What node-opcua keeps of a structure's DataTypeDefinition on each decoded value. */
interface StructureSchema {
  fields: readonly { name: string; originalName?: string }[];
  getBaseSchema?: () => StructureSchema | null;
}

/**
 * A decoded structure (ExtensionObject) as plain data with the field names the server's DataTypeDefinition
 * gives (`StatusCode`, as OPC UA's JSON encoding writes them, not node-opcua's `statusCode`); nested
 * structures, arrays and dates are converted too.
 */
export function fromStructure(value: object): unknown {
  const schema = (value as { schema?: StructureSchema }).schema;
  if (!schema?.fields) return plain(value);
  const out: Record<string, unknown> = {};
  const visit = (s: StructureSchema) => {
    const base = s.getBaseSchema?.();
    if (base?.fields) visit(base);
    for (const field of s.fields) {
      const v = (value as Record<string, unknown>)[field.name];
      if (v !== undefined) out[field.originalName || field.name] = plain(v);
    }
  };
  visit(schema);
  return out;
}

function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<unknown>, plain);
  if (value instanceof Date) return value.toISOString();
  if ('schema' in value) return fromStructure(value);
  const o = value as { toJSON?: () => unknown };
  return typeof o.toJSON === 'function' ? o.toJSON() : value;
}

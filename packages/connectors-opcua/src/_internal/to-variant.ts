import { DataType, Variant, VariantArrayType } from 'node-opcua-client';

const NUMERIC = new Set([
  DataType.SByte,
  DataType.Byte,
  DataType.Int16,
  DataType.UInt16,
  DataType.Int32,
  DataType.UInt32,
  DataType.Float,
  DataType.Double,
  DataType.Int64,
  DataType.UInt64,
]);

/**
 * Builds the Variant a write sends from a JSON value and the variable's DataType and ValueRank; throws a
 * plain Error saying what does not fit (the caller adds where).
 */
export function toVariant(dataType: DataType, valueRank: number, value: unknown): Variant {
  // ValueRank -1 is a scalar, ≥ 1 an array; 0, -2 and -3 allow either, so the JSON value decides.
  const isArray = valueRank >= 1 || (valueRank !== -1 && Array.isArray(value));
  if (isArray) {
    if (!Array.isArray(value)) throw new Error(`the variable holds an array of ${DataType[dataType]}; send a JSON array`);
    return new Variant({ dataType, arrayType: VariantArrayType.Array, value: value.map((v) => toScalar(dataType, v)) });
  }
  return new Variant({ dataType, arrayType: VariantArrayType.Scalar, value: toScalar(dataType, value) });
}

function toScalar(dataType: DataType, value: unknown): unknown {
  const name = DataType[dataType] ?? `DataType ${dataType}`;
  if (NUMERIC.has(dataType)) {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${name} needs a number, got ${JSON.stringify(value)}`);
    return n;
  }
  switch (dataType) {
    case DataType.Boolean:
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      if (value === 0 || value === 1) return value === 1;
      throw new Error(`Boolean needs true or false, got ${JSON.stringify(value)}`);
    case DataType.String:
      if (typeof value === 'object' && value !== null) throw new Error(`String needs text, got ${JSON.stringify(value)}`);
      return String(value);
    case DataType.DateTime: {
      const date = new Date(value as string | number);
      if (Number.isNaN(date.getTime())) throw new Error(`DateTime needs an ISO date or epoch milliseconds, got ${JSON.stringify(value)}`);
      return date;
    }
    case DataType.ByteString:
      if (typeof value === 'string') return Buffer.from(value, 'base64');
      if (Array.isArray(value) || value instanceof Uint8Array) return Buffer.from(value as number[]);
      throw new Error('ByteString needs base64 text or an array of bytes');
    case DataType.LocalizedText:
      return { text: String(value) };
    default:
      throw new Error(`writing ${name} values is not supported; write a variable of a scalar type`);
  }
}

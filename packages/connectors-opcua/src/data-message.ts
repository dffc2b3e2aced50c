import { DataType, type DataValue, type Variant, VariantArrayType } from 'node-opcua-client';
import { fromStructure } from './_internal/structure.js';

/** The payload of an OPC UA data message: the value with its quality and the device's own time stamp. */
export interface OpcuaDataMessage {
  /** Milliseconds since the epoch at which the gateway received the value. */
  timestamp: number;
  /** The value as JSON-friendly data; `null` when the status is Bad. */
  value: unknown;
  /** The OPC UA status code's name: `Good`, `UncertainLastUsableValue`, `BadNoCommunication` … */
  statusCode?: string;
  /** Milliseconds since the epoch at which the device sampled the value, when the server says. */
  sourceTimestamp?: number;
}

/** The status a connection marks its values with once it has lost the server. */
export const LOST_STATUS = 'BadNoCommunication';

/** Turns a DataValue into a data message stamped `now`. */
export function toDataMessage(dataValue: DataValue, now: number): OpcuaDataMessage {
  const message: OpcuaDataMessage = {
    timestamp: now,
    value: dataValue.statusCode.isBad() ? null : fromVariant(dataValue.value),
    statusCode: dataValue.statusCode.name,
  };
  const source = dataValue.sourceTimestamp?.getTime();
  if (source !== undefined && !Number.isNaN(source) && source > 0) message.sourceTimestamp = source;
  return message;
}

// Read once: node-opcua's enums sit behind several re-export getters, too slow to pass on every value.
const SCALAR = VariantArrayType.Scalar;
const { Int64, UInt64, DateTime, LocalizedText, QualifiedName, NodeId, ExpandedNodeId, Guid, StatusCode, ExtensionObject } = DataType;

/** The value of a Variant as plain data: typed arrays become arrays, 64-bit integers numbers, structures objects. */
export function fromVariant(variant: Variant | null | undefined): unknown {
  if (!variant) return null;
  const { value, dataType } = variant;
  if (variant.arrayType === SCALAR) return fromScalar(dataType, value);
  return Array.from(value as ArrayLike<unknown>, (v) => fromScalar(dataType, v));
}

function fromScalar(dataType: DataType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const type = typeof value;
  if (type === 'number' || type === 'boolean' || type === 'string') return value;
  switch (dataType) {
    case Int64:
    case UInt64: {
      // node-opcua carries 64-bit integers as [high, low] 32-bit words.
      const [high, low] = value as [number, number];
      const n = high * 2 ** 32 + (low >>> 0);
      return Number.isSafeInteger(n) ? n : (BigInt(high) * 2n ** 32n + BigInt(low >>> 0)).toString();
    }
    case DateTime:
      return (value as Date).toISOString();
    case LocalizedText:
      return (value as { text?: string | null }).text ?? null;
    case QualifiedName:
    case NodeId:
    case ExpandedNodeId:
    case Guid:
      return String(value);
    case StatusCode:
      return (value as { name: string }).name;
    case ExtensionObject:
      return fromStructure(value as object);
    default:
      return value;
  }
}

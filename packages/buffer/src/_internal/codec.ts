import type { Message, QoS } from '@iiot/core';
import { BufferError } from '../errors.js';

// Record body, little-endian: f64 timestamp | u8 flags | u16 topic length | topic (UTF-8)
// | [u32 vars length | vars as JSON] | u32 payload length | payload.
// The payload is stored as raw bytes when it is binary (any ArrayBuffer view; read back as Uint8Array),
// otherwise as JSON text; `undefined` has a kind of its own so it survives the round trip.
const QOS_PRESENT = 0b0000_0100;
const RETAIN_PRESENT = 0b0000_1000;
const RETAIN_TRUE = 0b0001_0000;
const KIND_SHIFT = 5;
const KIND_MASK = 0b0110_0000;
const VARS_PRESENT = 0b1000_0000;
const KIND_BYTES = 0;
const KIND_JSON = 1;
const KIND_UNDEFINED = 2;

/** Encodes a message as a record body, leaving `headroom` zero bytes in front for framing. */
export function encodeMessage(message: Message, headroom = 0): Buffer {
  const { topic, payload, timestamp, qos, retain, vars } = message;
  let flags = 0;
  if (qos !== undefined) flags |= QOS_PRESENT | (qos & 0b11);
  if (retain !== undefined) flags |= RETAIN_PRESENT | (retain ? RETAIN_TRUE : 0);
  let payloadBytes: Uint8Array;
  let kind = KIND_BYTES;
  if (payload === undefined) {
    kind = KIND_UNDEFINED;
    payloadBytes = new Uint8Array(0);
  } else if (payload instanceof Uint8Array) {
    payloadBytes = payload;
  } else if (ArrayBuffer.isView(payload)) {
    payloadBytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  } else {
    kind = KIND_JSON;
    payloadBytes = Buffer.from(toJson(payload, topic), 'utf8');
  }
  flags |= kind << KIND_SHIFT;
  const varsText = vars === undefined ? undefined : JSON.stringify(vars);
  if (varsText !== undefined) flags |= VARS_PRESENT;
  const topicLength = Buffer.byteLength(topic, 'utf8');
  if (topicLength > 0xffff) {
    throw new BufferError('BUFFER_PAYLOAD_UNSUPPORTED', `Topic of ${topicLength} bytes is longer than MQTT allows (65535): shorten it.`);
  }
  const varsLength = varsText === undefined ? 0 : Buffer.byteLength(varsText, 'utf8');
  const size = headroom + 11 + topicLength + (varsText === undefined ? 0 : 4 + varsLength) + 4 + payloadBytes.length;
  // The headroom is left as it is: the caller writes its framing there.
  const out = Buffer.allocUnsafe(size);
  let at = headroom;
  out.writeDoubleLE(timestamp, at);
  out[at + 8] = flags;
  out.writeUInt16LE(topicLength, at + 9);
  at += 11;
  at += out.write(topic, at, 'utf8');
  if (varsText !== undefined) {
    out.writeUInt32LE(varsLength, at);
    at += 4;
    at += out.write(varsText, at, 'utf8');
  }
  out.writeUInt32LE(payloadBytes.length, at);
  out.set(payloadBytes, at + 4);
  return out;
}

/** Decodes the record body at `buf[start..end)` written by `encodeMessage`; binary payloads are copied out. */
export function decodeMessage(buf: Buffer, start: number, end: number): Message {
  const flags = buf[start + 8]!;
  const topicLength = buf.readUInt16LE(start + 9);
  let at = start + 11;
  const message: Message = {
    topic: buf.toString('utf8', at, at + topicLength),
    payload: undefined,
    timestamp: buf.readDoubleLE(start),
  };
  at += topicLength;
  if (flags & QOS_PRESENT) message.qos = (flags & 0b11) as QoS;
  if (flags & RETAIN_PRESENT) message.retain = (flags & RETAIN_TRUE) !== 0;
  if (flags & VARS_PRESENT) {
    const length = buf.readUInt32LE(at);
    message.vars = JSON.parse(buf.toString('utf8', at + 4, at + 4 + length));
    at += 4 + length;
  }
  const length = buf.readUInt32LE(at);
  if (at + 4 + length > end) throw new RangeError('record body shorter than its payload length');
  const kind = (flags & KIND_MASK) >> KIND_SHIFT;
  if (kind === KIND_BYTES) message.payload = copy(buf, at + 4, length);
  else if (kind === KIND_JSON) message.payload = JSON.parse(buf.toString('utf8', at + 4, at + 4 + length));
  return message;
}

/** A plain Uint8Array copy; its memory comes from Buffer's pool, far cheaper than a fresh ArrayBuffer each. */
function copy(buf: Buffer, at: number, length: number): Uint8Array {
  const pooled = Buffer.allocUnsafe(length);
  buf.copy(pooled, 0, at, at + length);
  return new Uint8Array(pooled.buffer, pooled.byteOffset, length);
}

function toJson(payload: unknown, topic: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (cause) {
    throw new BufferError(
      'BUFFER_PAYLOAD_UNSUPPORTED',
      `Payload of a message on ${topic} cannot be stored: it is neither binary nor JSON (${(cause as Error).message}). Convert it to a Uint8Array or a JSON value first.`,
      { cause, details: { topic } },
    );
  }
  if (text === undefined) {
    throw new BufferError(
      'BUFFER_PAYLOAD_UNSUPPORTED',
      `Payload of a message on ${topic} cannot be stored: a ${typeof payload} is neither binary nor JSON. Convert it to a Uint8Array or a JSON value first.`,
      { details: { topic } },
    );
  }
  return text;
}

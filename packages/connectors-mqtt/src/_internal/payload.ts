/** How a subscription hands payloads on: raw bytes, UTF-8 text, or parsed JSON. */
export type PayloadFormat = 'bytes' | 'text' | 'json';

const utf8 = new TextDecoder('utf-8');

/** Decodes received bytes; JSON that does not parse passes on as the bytes, so nothing is lost. */
export function decodePayload(bytes: Uint8Array, format: PayloadFormat): unknown {
  if (format === 'bytes') return bytes;
  const text = utf8.decode(bytes);
  if (format === 'text') return text;
  try {
    return JSON.parse(text);
  } catch {
    return bytes;
  }
}

/** Encodes a payload to publish: bytes as they are, strings as UTF-8, anything else as JSON. */
export function encodePayload(payload: unknown): Buffer | string {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload === undefined) return '';
  return JSON.stringify(payload);
}

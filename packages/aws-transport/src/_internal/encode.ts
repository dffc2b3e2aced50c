const decoder = new TextDecoder('utf-8', { fatal: false });

/** The bytes to publish for a message payload: bytes as they are, text as UTF-8, any other value as JSON. */
export function encodePayload(payload: unknown): Buffer {
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (typeof payload === 'string') return Buffer.from(payload);
  return Buffer.from(JSON.stringify(payload) ?? 'null');
}

/** The payload as one JSON value's text, for a batch: bytes holding JSON go in as they are, others as a string. */
export function payloadAsJson(payload: unknown, encoded: Buffer): string {
  if (payload instanceof Uint8Array) {
    const text = decoder.decode(encoded);
    try {
      JSON.parse(text);
      return text;
    } catch {
      return JSON.stringify(text);
    }
  }
  if (typeof payload === 'string') return JSON.stringify(payload);
  return encoded.toString();
}

/** FNV-1a hash of a topic, to spread topics over a pool of connections with a stable choice per topic. */
export function topicHash(topic: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) {
    hash ^= topic.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The bytes to put on the wire for a payload: bytes as they are, text as UTF-8, nothing as nothing, any other value as JSON. */
export function payloadBytes(payload: unknown): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  return Buffer.from(dataMessageJson(payload) ?? JSON.stringify(payload), 'utf8');
}

/**
 * The JSON text of a connector's data message — a plain object with exactly the keys `timestamp` (a number),
 * `value`, and optionally `statusCode` and `sourceTimestamp`, in that order — or `undefined` for anything else.
 * The text is the one `JSON.stringify` gives; writing it by hand takes a fraction of the time, which counts
 * when every value of thousands of endpoints passes here.
 */
export function dataMessageJson(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || Object.getPrototypeOf(payload) !== Object.prototype) return undefined;
  const p = payload as { timestamp?: unknown; value?: unknown; statusCode?: unknown; sourceTimestamp?: unknown };
  let keys = 0;
  for (const key in p) {
    if (key !== KEYS[keys]) {
      if (keys === 2 && key === 'sourceTimestamp') keys = 3;
      else return undefined;
    }
    keys++;
  }
  if (keys < 2 || typeof p.timestamp !== 'number') return undefined;
  const value = p.value;
  const valueText = typeof value === 'number' ? number(value) : (JSON.stringify(value) as string | undefined);
  // A value JSON leaves out (undefined, a function) drops its key: leave such rare cases to JSON.stringify.
  if (valueText === undefined) return undefined;
  let text = `{"timestamp":${number(p.timestamp)},"value":${valueText}`;
  if (p.statusCode !== undefined) {
    if (typeof p.statusCode !== 'string') return undefined;
    text += `,"statusCode":${JSON.stringify(p.statusCode)}`;
  }
  if (p.sourceTimestamp !== undefined) {
    if (typeof p.sourceTimestamp !== 'number') return undefined;
    text += `,"sourceTimestamp":${number(p.sourceTimestamp)}`;
  }
  return `${text}}`;
}

const KEYS = ['timestamp', 'value', 'statusCode', 'sourceTimestamp'];

function number(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

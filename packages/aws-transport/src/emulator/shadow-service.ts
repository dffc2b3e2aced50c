type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One reply the shadow service publishes. */
export interface ShadowReply {
  topic: string;
  payload: Buffer;
}

interface StoredShadow {
  state: { desired?: JsonObject; reported?: JsonObject };
  metadata: { desired?: JsonObject; reported?: JsonObject };
  version: number;
}

const OPERATION = /^(\$aws\/things\/[^/]+\/shadow(?:\/name\/[^/]+)?)\/(get|update|delete)$/;
const MAX_DOCUMENT_BYTES = 8192;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

// AWS's merge: objects merge key by key, `null` removes a key, anything else replaces.
function merge(base: JsonObject | undefined, patch: JsonObject): JsonObject | undefined {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value)) {
      const merged = merge(isObject(out[key]) ? (out[key] as JsonObject) : undefined, value);
      if (merged) out[key] = merged;
      else delete out[key];
    } else out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

// Metadata mirrors the state's shape with `{ timestamp }` at every leaf that was written.
function stamp(value: Json, timestamp: number): Json {
  if (value === null) return null;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stamp(v, timestamp)]));
  return { timestamp };
}

function delta(desired: JsonObject | undefined, reported: JsonObject | undefined): JsonObject | undefined {
  if (!desired) return undefined;
  const out: JsonObject = {};
  for (const [key, want] of Object.entries(desired)) {
    const have = reported?.[key];
    if (isObject(want) && isObject(have)) {
      const inner = delta(want, have);
      if (inner) out[key] = inner;
    } else if (JSON.stringify(want) !== JSON.stringify(have)) out[key] = want;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The Device Shadow service of the local AWS IoT stand-in: classic and named shadows in memory, with
 * versions, accepted/rejected answers, `update/delta` and `update/documents`, as AWS documents them.
 */
export function createShadowService() {
  const shadows = new Map<string, StoredShadow>();

  const reply = (base: string, suffix: string, body: Record<string, unknown>): ShadowReply => ({
    topic: `${base}/${suffix}`,
    payload: Buffer.from(JSON.stringify(body)),
  });
  const reject = (base: string, op: string, code: number, message: string, clientToken: unknown): ShadowReply[] => [
    reply(base, `${op}/rejected`, { code, message, timestamp: now(), ...(clientToken === undefined ? {} : { clientToken }) }),
  ];
  const now = () => Math.floor(Date.now() / 1000);
  const nameOf = (base: string) => base.split('/')[5] ?? base.split('/')[2]!;

  const update = (base: string, request: JsonObject, token: unknown): ShadowReply[] => {
    const current = shadows.get(base);
    if (!isObject(request.state)) return reject(base, 'update', 400, 'Missing required node: state', token);
    if (typeof request.version === 'number' && request.version !== (current?.version ?? 0)) {
      return reject(base, 'update', 409, 'Version conflict', token);
    }
    const patch = request.state;
    const timestamp = now();
    const next: StoredShadow = { state: {}, metadata: {}, version: (current?.version ?? 0) + 1 };
    for (const part of ['desired', 'reported'] as const) {
      const value = patch[part];
      if (value === undefined) {
        next.state[part] = current?.state[part];
        next.metadata[part] = current?.metadata[part];
      } else if (value === null) {
        // `"desired": null` clears the whole section.
      } else if (isObject(value)) {
        next.state[part] = merge(current?.state[part], value);
        next.metadata[part] = merge(current?.metadata[part], stamp(value, timestamp) as JsonObject);
      } else return reject(base, 'update', 400, `State node ${part} must be an object`, token);
    }
    if (Buffer.byteLength(JSON.stringify(next.state)) > MAX_DOCUMENT_BYTES) {
      return reject(base, 'update', 413, 'The payload exceeds the maximum size allowed', token);
    }
    shadows.set(base, next);
    const withToken = token === undefined ? {} : { clientToken: token };
    const replies = [
      reply(base, 'update/accepted', {
        state: patch,
        metadata: stamp(patch, timestamp),
        version: next.version,
        timestamp,
        ...withToken,
      }),
      reply(base, 'update/documents', {
        previous: current ? { state: current.state, metadata: current.metadata, version: current.version } : null,
        current: { state: next.state, metadata: next.metadata, version: next.version },
        timestamp,
        ...withToken,
      }),
    ];
    const difference = delta(next.state.desired, next.state.reported);
    if (difference && patch.desired !== undefined) {
      replies.push(
        reply(base, 'update/delta', {
          version: next.version,
          timestamp,
          state: difference,
          metadata: stamp(difference, timestamp),
          ...withToken,
        }),
      );
    }
    return replies;
  };

  return {
    /** The replies to a publish on `topic`, or `undefined` when it is not a shadow request. */
    handle(topic: string, payload: Buffer): ShadowReply[] | undefined {
      const match = OPERATION.exec(topic);
      if (!match) return undefined;
      const [, base, op] = match as unknown as [string, string, 'get' | 'update' | 'delete'];
      let request: unknown = {};
      if (payload.byteLength > 0) {
        try {
          request = JSON.parse(payload.toString());
        } catch {
          return reject(base, op, 400, 'Payload contains invalid json', undefined);
        }
      }
      if (!isObject(request)) return reject(base, op, 400, 'Payload contains invalid json', undefined);
      const token = request.clientToken;
      if (typeof token === 'string' && Buffer.byteLength(token) > 64) {
        return reject(base, op, 400, 'clientToken is longer than 64 bytes', undefined);
      }
      if (op === 'update') return update(base, request, token);
      const current = shadows.get(base);
      if (!current) return reject(base, op, 404, `No shadow exists with name: '${nameOf(base)}'`, token);
      const withToken = token === undefined ? {} : { clientToken: token };
      if (op === 'delete') {
        shadows.delete(base);
        return [reply(base, 'delete/accepted', { version: current.version, timestamp: now(), ...withToken })];
      }
      const difference = delta(current.state.desired, current.state.reported);
      return [
        reply(base, 'get/accepted', {
          state: { ...current.state, ...(difference ? { delta: difference } : {}) },
          metadata: current.metadata,
          version: current.version,
          timestamp: now(),
          ...withToken,
        }),
      ];
    },
  };
}

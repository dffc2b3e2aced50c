const REDACTED = '[REDACTED]';

/** Property names whose values are secrets wherever they appear (compared case-insensitively). */
export const SECRET_KEYS: readonly string[] = [
  'password',
  'passphrase',
  'clientPrivateKey',
  'userPrivateKey',
  'privateKey',
  'key',
  'secret',
  'token',
  'mqttPassword',
  'authorization',
];

const secretKeySet = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));

// PEM private keys of every flavour (RSA, EC, PKCS#8, encrypted), and credentials inside URLs.
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^@\s/]*@/gi;

export interface RedactOptions {
  /** Literal secret values to blank out wherever they occur (passwords from a config, say). */
  secrets?: Iterable<string>;
  /** Extra property names to treat as secret. */
  keys?: Iterable<string>;
}

/** Removes private keys, URL credentials and the given secret values from a piece of text. */
export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text.replace(PEM_PRIVATE_KEY, REDACTED).replace(URL_CREDENTIALS, `$1:${REDACTED}@`);
  for (const secret of options.secrets ?? []) {
    // Very short values would blank out ordinary words; they are still removed by key below.
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Returns a deep copy of `value` with secret properties replaced and secrets removed from strings.
 * Safe on cycles; used for logs, errors and status output.
 */
export function redact<T>(value: T, options: RedactOptions = {}): T {
  const extraKeys = new Set([...(options.keys ?? [])].map((k) => k.toLowerCase()));
  const seen = new WeakMap<object, unknown>();
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, options);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return seen.get(v);
    if (v instanceof Error) {
      const copy: Record<string, unknown> = { name: v.name, message: redactText(v.message, options) };
      seen.set(v, copy);
      for (const [k, inner] of Object.entries(v)) copy[k] = isSecretKey(k, extraKeys) ? REDACTED : visit(inner);
      return copy;
    }
    if (ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) {
      const copy: unknown[] = [];
      seen.set(v, copy);
      for (const item of v) copy.push(visit(item));
      return copy;
    }
    const copy: Record<string, unknown> = {};
    seen.set(v, copy);
    for (const [k, inner] of Object.entries(v)) {
      copy[k] = isSecretKey(k, extraKeys) && inner !== undefined && inner !== null ? REDACTED : visit(inner);
    }
    return copy;
  };
  return visit(value) as T;
}

function isSecretKey(key: string, extra: Set<string>): boolean {
  const k = key.toLowerCase();
  return secretKeySet.has(k) || extra.has(k);
}

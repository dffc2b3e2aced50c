import { describe, expect, it } from 'vitest';
import { IiotError, isIiotError, redact, redactText } from '../src/index.js';

const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n';

describe('IiotError', () => {
  it('carries code, retryable and cause, and subclasses keep their name', () => {
    class ConnectionError extends IiotError<'HOST_UNREACHABLE'> {}
    const cause = new Error('ECONNREFUSED');
    const error = new ConnectionError('HOST_UNREACHABLE', 'Cannot reach broker', { retryable: true, cause });
    expect(error.name).toBe('ConnectionError');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(isIiotError(error, 'HOST_UNREACHABLE')).toBe(true);
    expect(isIiotError(error, 'OTHER')).toBe(false);
    expect(error.toJSON()).toEqual({ name: 'ConnectionError', code: 'HOST_UNREACHABLE', message: 'Cannot reach broker', retryable: true });
  });
});

describe('redact', () => {
  it('removes private keys, URL credentials and known secret values from text', () => {
    const text = `key ${KEY} url mqtt://user:hunter22@host:1883 pw hunter22`;
    const out = redactText(text, { secrets: ['hunter22'] });
    expect(out).not.toContain('MIIEow');
    expect(out).not.toContain('hunter22');
    expect(out).toContain('mqtt://user:[REDACTED]@host:1883');
  });

  it('replaces secret properties deep inside objects, errors and cycles', () => {
    const config: Record<string, unknown> = {
      host: 'h',
      password: 'p',
      nested: { clientPrivateKey: KEY, list: [{ Password: 'x' }] },
      error: new Error(`bad key ${KEY}`),
    };
    config.self = config;
    const out = redact(config) as Record<string, any>;
    expect(out.password).toBe('[REDACTED]');
    expect(out.nested.clientPrivateKey).toBe('[REDACTED]');
    expect(out.nested.list[0].Password).toBe('[REDACTED]');
    expect(out.error.message).not.toContain('MIIEow');
    expect(out.self).toBe(out);
    expect(config.password).toBe('p');
  });
});

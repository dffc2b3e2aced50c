import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1secret\n-----END RSA PRIVATE KEY-----';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('redacts secrets in structured facts, messages and errors', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, secrets: () => ['generated-broker-password'] });
    log.info({ connection: { host: 'h', clientPrivateKey: KEY, password: 'pw' } }, 'connecting');
    log.warn(`refused with generated-broker-password and ${KEY}`);
    log.error({ err: new Error(`bad key ${KEY}`) }, 'failed on mqtt://user:pass@host:1883');
    const text = lines.join('');
    expect(text).not.toMatch(/MIIEpAIBAAKCAQEA1secret|generated-broker-password|"pw"|user:pass@/);
    expect(text).toContain('[REDACTED]');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'connecting', connection: { host: 'h' } });
  });
});

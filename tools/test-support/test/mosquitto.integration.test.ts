import { connect, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestPki, mosquittoAvailable, startMosquitto, type MosquittoHandle } from '../src/index.js';

const pki = createTestPki();

function tlsHandshake(port: number, options: { cert?: string; key?: string; ca: string }): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', maxVersion: 'TLSv1.2', ...options }, () =>
      resolve(socket),
    );
    socket.once('error', reject);
  });
}

describe('createTestPki', () => {
  it('issues certificates that chain to the CA, with the requested validity', () => {
    const ca = new X509Certificate(pki.ca.cert);
    const server = new X509Certificate(pki.server.cert);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    const expired = new X509Certificate(pki.issueClient({ validDays: -1 }).cert);
    expect(Date.parse(expired.validTo)).toBeLessThan(Date.now());
    const other = new X509Certificate(pki.createAuthority('Wrong CA').issueClient().cert);
    expect(other.verify(ca.publicKey)).toBe(false);
  });
});

describe.runIf(mosquittoAvailable())('startMosquitto', () => {
  const brokers: MosquittoHandle[] = [];
  afterAll(async () => {
    for (const b of brokers) await b.close();
  });

  it('serves mutual TLS and refuses a client without a certificate', async () => {
    const broker = await startMosquitto({
      tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, requireCertificate: true },
    });
    brokers.push(broker);
    const ok = await tlsHandshake(broker.port, { ca: pki.ca.cert, ...pki.client });
    ok.destroy();
    // Under TLS 1.2 a missing or foreign client certificate fails the handshake itself.
    await expect(tlsHandshake(broker.port, { ca: pki.ca.cert })).rejects.toThrow(/handshake failure|certificate/i);
    const stranger = pki.createAuthority('Wrong CA').issueClient();
    await expect(tlsHandshake(broker.port, { ca: pki.ca.cert, ...stranger })).rejects.toThrow(/alert|certificate/i);
  });

  it('restarts on the same port', async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    await broker.stop();
    await broker.start();
    expect(broker.log()).toMatch(/mosquitto version/);
  });
});

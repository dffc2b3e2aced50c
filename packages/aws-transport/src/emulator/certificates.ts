import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/** A PEM certificate with its PEM private key. */
export interface KeyPairPem {
  cert: string;
  key: string;
}

export interface IssueOptions {
  commonName?: string;
  /** Days of validity from now; a negative number issues a certificate that has already expired. @default 30 */
  validDays?: number;
}

export interface IssueServerOptions extends IssueOptions {
  /** Host names and IP addresses for the subjectAltName. @default ['localhost', '127.0.0.1', '::1'] */
  names?: readonly string[];
}

/** A certificate authority that can issue client and server certificates. */
export interface CertificateAuthority extends KeyPairPem {
  issueClient(options?: IssueOptions): KeyPairPem;
  issueServer(options?: IssueServerOptions): KeyPairPem;
}

/** A CA with one server and one client certificate, plus the means to make more (and other CAs). */
export interface TestPki {
  ca: CertificateAuthority;
  server: KeyPairPem;
  client: KeyPairPem;
  issueClient(options?: IssueOptions): KeyPairPem;
  issueServer(options?: IssueServerOptions): KeyPairPem;
  createAuthority(commonName: string): CertificateAuthority;
}

export interface TestPkiOptions {
  /** Names the server certificate is valid for. @default ['localhost', '127.0.0.1', '::1'] */
  serverNames?: readonly string[];
}

const DEFAULT_NAMES = ['localhost', '127.0.0.1', '::1'];
const DAY = 24 * 60 * 60 * 1000;

/**
 * Generates a fresh CA, a server certificate and a client certificate (RSA 2048) for tests and demos, such as
 * starting the AWS IoT stand-in. The keys are unprotected: never use them for a real device.
 */
export function createTestPki(options: TestPkiOptions = {}): TestPki {
  const ca = createAuthority('iiot test CA');
  return {
    ca,
    server: ca.issueServer({ names: options.serverNames ?? DEFAULT_NAMES }),
    client: ca.issueClient({ commonName: 'iiot-test-client' }),
    issueClient: (o) => ca.issueClient(o),
    issueServer: (o) => ca.issueServer(o),
    createAuthority,
  };
}

/** A new self-signed certificate authority. */
export function createAuthority(commonName: string): CertificateAuthority {
  const keys = newKeys();
  const cert = newCertificate(keys.publicKey, 3650);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const authority: CertificateAuthority = {
    cert: forge.pki.certificateToPem(cert),
    key: forge.pki.privateKeyToPem(keys.privateKey),
    issueClient: (o = {}) =>
      issue(cert, keys.privateKey, o.commonName ?? 'iiot-test-client', o.validDays ?? 30, [
        { name: 'extKeyUsage', clientAuth: true },
      ]),
    issueServer: (o = {}) => {
      const names = o.names ?? DEFAULT_NAMES;
      return issue(cert, keys.privateKey, o.commonName ?? names[0] ?? 'localhost', o.validDays ?? 30, [
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })),
        },
      ]);
    },
  };
  return authority;
}

function issue(
  caCert: forge.pki.Certificate,
  caKey: forge.pki.rsa.PrivateKey,
  commonName: string,
  validDays: number,
  extensions: object[],
): KeyPairPem {
  const keys = newKeys();
  const cert = newCertificate(keys.publicKey, validDays);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    ...extensions,
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

function newCertificate(publicKey: forge.pki.PublicKey, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive DER integer without padding: the first byte is 0x01..0x7f.
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  // An expired certificate was valid for a day that ended `-validDays` days ago.
  cert.validity.notBefore = new Date(validDays < 0 ? now + (validDays - 1) * DAY : now - 60_000);
  cert.validity.notAfter = new Date(now + validDays * DAY);
  return cert;
}

function newKeys(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  // node:crypto generates the key in native code (forge's pure-JS generator takes seconds).
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/** A certificate and its private key, both PEM. */
export interface PemPair {
  cert: string;
  key: string;
}

export interface IssueClientOptions {
  /** @default 'iiot-test-client' */
  commonName?: string;
  /** Days of validity from now; negative gives a certificate that has already expired. @default 365 */
  validDays?: number;
}

export interface IssueServerOptions {
  /** DNS names and IP addresses the certificate is valid for. @default ['localhost', '127.0.0.1', '::1'] */
  names?: string[];
  /** @default 365 */
  validDays?: number;
}

/** A certificate authority that can issue client and server certificates. */
export interface TestAuthority extends PemPair {
  issueClient(options?: IssueClientOptions): PemPair;
  issueServer(options?: IssueServerOptions): PemPair;
}

/** A CA with one server and one client certificate, for tests and demos. */
export interface TestPki {
  ca: PemPair;
  server: PemPair;
  client: PemPair;
  issueClient(options?: IssueClientOptions): PemPair;
  issueServer(options?: IssueServerOptions): PemPair;
  /** Another, unrelated CA (for "wrong CA" tests). */
  createAuthority(commonName: string): TestAuthority;
}

export interface TestPkiOptions {
  /** Names in the server certificate. @default ['localhost', '127.0.0.1', '::1'] */
  serverNames?: string[];
  /** @default 'iiot test CA' */
  caName?: string;
}

const DAY = 86_400_000;

function newKeys() {
  // Key generation by node:crypto (native), certificate building by node-forge (pure JS): no openssl binary.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { pem, privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function baseCertificate(publicKey: forge.pki.PublicKey, commonName: string, validDays: number) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive serial: the high bit cleared.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(Math.min(now, now + validDays * DAY) - 2 * DAY);
  cert.validity.notAfter = new Date(now + validDays * DAY);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  return cert;
}

function createAuthorityPair(commonName: string): TestAuthority {
  const keys = newKeys();
  const caCert = baseCertificate(keys.publicKey, commonName, 3650);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(keys.privateKey, forge.md.sha256.create());

  const issue = (name: string, validDays: number, extensions: object[]): PemPair => {
    const leafKeys = newKeys();
    const cert = baseCertificate(leafKeys.publicKey, name, validDays);
    cert.setIssuer(caCert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
      ...extensions,
    ]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(cert), key: leafKeys.pem };
  };

  return {
    cert: forge.pki.certificateToPem(caCert),
    key: keys.pem,
    issueClient: (options = {}) =>
      issue(options.commonName ?? 'iiot-test-client', options.validDays ?? 365, [{ name: 'extKeyUsage', clientAuth: true }]),
    issueServer: (options = {}) => {
      const names = options.names ?? ['localhost', '127.0.0.1', '::1'];
      const altNames = names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n }));
      return issue(names[0] ?? 'localhost', options.validDays ?? 365, [
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ]);
    },
  };
}

/**
 * Generates a CA, a server certificate and a client certificate (RSA 2048) for tests and demos.
 * For test and demonstration use only: the keys are not protected.
 */
export function createTestPki(options: TestPkiOptions = {}): TestPki {
  const authority = createAuthorityPair(options.caName ?? 'iiot test CA');
  return {
    ca: { cert: authority.cert, key: authority.key },
    server: authority.issueServer(options.serverNames ? { names: options.serverNames } : {}),
    client: authority.issueClient(),
    issueClient: authority.issueClient,
    issueServer: authority.issueServer,
    createAuthority: createAuthorityPair,
  };
}

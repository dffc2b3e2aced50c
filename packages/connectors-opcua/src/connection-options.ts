import { OpcuaError } from './errors.js';

/** OPC UA message security modes as written in commissioning files. */
export type OpcuaSecurityMode = 'None' | 'Sign' | 'SignAndEncrypt';

/**
 * OPC UA security policies. Basic128Rsa15 and Basic256 need RSA PKCS#1 v1.5, which Node 20 only allows with
 * `--security-revert=CVE-2023-46809`; prefer Basic256Sha256 or Aes128_Sha256_RsaOaep.
 */
export type OpcuaSecurityPolicy =
  | 'None'
  | 'Basic128Rsa15'
  | 'Basic256'
  | 'Basic256Sha256'
  | 'Aes128_Sha256_RsaOaep'
  | 'Aes256_Sha256_RsaPss';

/** How long to wait between connection attempts: `initialDelay`, multiplied by `incrementFactor` up to `maxDelay`. */
export interface ConnectionStrategy {
  /** @default 1000 */
  initialDelay?: number;
  /** @default 30000 */
  maxDelay?: number;
  /** @default 2 */
  incrementFactor?: number;
}

/** The `connection` properties of a `Cybus::Connection` with `protocol: Opcua`. */
export interface OpcuaConnectionOptions {
  /** Server host name or address. */
  host: string;
  /** @default 4840 */
  port?: number;
  /** Path after the port in the endpoint URL (`opc.tcp://host:port/<resourcePath>`). @default '' */
  resourcePath?: string;
  /** User name identity, with `password`. Anonymous when neither this nor a user certificate is given. */
  username?: string;
  password?: string;
  /** X.509 user identity: the user's certificate and private key as PEM text. */
  userCertificate?: string;
  userPrivateKey?: string;
  options?: {
    /** @default 'None' */
    securityMode?: OpcuaSecurityMode;
    /** @default 'None' when securityMode is None, else 'Basic256Sha256' */
    securityPolicy?: OpcuaSecurityPolicy;
  };
  /** Accept a server certificate not in `<pkiDir>/trusted`; otherwise it is refused and kept in `<pkiDir>/rejected`. @default false */
  trustAllCertificates?: boolean;
  /**
   * Where node-opcua keeps the client's application certificate (generated on first use), and trusted and
   * rejected server certificates. @default node-opcua's per-user folder
   */
  pkiDir?: string;
  /** Reconnect backoff. */
  connectionStrategy?: ConnectionStrategy;
  /** How often silence is checked; a server silent for twice this long is treated as lost. @default 5000 */
  keepAliveInterval?: number;
  /** How long a single request may take. @default 10000 */
  requestTimeout?: number;
  /** The application name the server sees. @default 'iiot-gateway' */
  applicationName?: string;
}

/** Connection options with every default applied. */
export interface ResolvedConnectionOptions extends Omit<OpcuaConnectionOptions, 'options' | 'connectionStrategy'> {
  endpointUrl: string;
  securityMode: OpcuaSecurityMode;
  securityPolicy: OpcuaSecurityPolicy;
  connectionStrategy: Required<ConnectionStrategy>;
  keepAliveInterval: number;
  requestTimeout: number;
  applicationName: string;
}

const MODES: readonly OpcuaSecurityMode[] = ['None', 'Sign', 'SignAndEncrypt'];
const POLICIES: readonly OpcuaSecurityPolicy[] = [
  'None',
  'Basic128Rsa15',
  'Basic256',
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
];

/** Checks connection properties and applies defaults; throws `OPCUA_CONFIG_INVALID` naming the property. */
export function resolveConnectionOptions(options: OpcuaConnectionOptions, where = 'Opcua connection'): ResolvedConnectionOptions {
  const invalid = (what: string) => new OpcuaError('OPCUA_CONFIG_INVALID', `${where}: ${what}`);
  if (typeof options.host !== 'string' || options.host === '') throw invalid('`host` is required (the OPC UA server name or address).');
  const port = options.port ?? 4840;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(`\`port\` must be an integer 1–65535, got ${String(options.port)}.`);
  const securityMode = options.options?.securityMode ?? 'None';
  if (!MODES.includes(securityMode)) throw invalid(`\`options.securityMode\` must be one of ${MODES.join(', ')}, got ${String(securityMode)}.`);
  const securityPolicy = options.options?.securityPolicy ?? (securityMode === 'None' ? 'None' : 'Basic256Sha256');
  if (!POLICIES.includes(securityPolicy)) {
    throw invalid(`\`options.securityPolicy\` must be one of ${POLICIES.join(', ')}, got ${String(securityPolicy)}.`);
  }
  if ((securityMode === 'None') !== (securityPolicy === 'None')) {
    throw invalid(`security mode ${securityMode} cannot go with security policy ${securityPolicy}; set both to None or neither.`);
  }
  if ((options.username === undefined) !== (options.password === undefined)) throw invalid('`username` and `password` go together.');
  if ((options.userCertificate === undefined) !== (options.userPrivateKey === undefined)) {
    throw invalid('`userCertificate` and `userPrivateKey` go together.');
  }
  const path = (options.resourcePath ?? '').replace(/^\/+/, '');
  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  return {
    ...options,
    endpointUrl: `opc.tcp://${host}:${port}${path ? `/${path}` : ''}`,
    port,
    securityMode,
    securityPolicy,
    connectionStrategy: {
      initialDelay: options.connectionStrategy?.initialDelay ?? 1000,
      maxDelay: options.connectionStrategy?.maxDelay ?? 30_000,
      incrementFactor: options.connectionStrategy?.incrementFactor ?? 2,
    },
    keepAliveInterval: options.keepAliveInterval ?? 5000,
    requestTimeout: options.requestTimeout ?? 10_000,
    applicationName: options.applicationName ?? 'iiot-gateway',
  };
}

/** The wait before attempt `attempt` (0-based) of a reconnect. */
export function backoffDelay(strategy: Required<ConnectionStrategy>, attempt: number): number {
  return Math.min(strategy.initialDelay * strategy.incrementFactor ** attempt, strategy.maxDelay);
}

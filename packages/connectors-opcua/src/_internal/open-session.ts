import { redactText } from '@iiot/core';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import {
  type ClientSession,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  type UserIdentityInfo,
  UserTokenType,
} from 'node-opcua-client';
import type { ResolvedConnectionOptions } from '../connection-options.js';
import { OpcuaError } from '../errors.js';

/** A connected client with its one session. */
export interface OpenSession {
  client: OPCUAClient;
  session: ClientSession;
}

/** The client's PKI folder: its own certificate (generated on first use), trusted and rejected server certificates. */
export function createCertificateManager(options: ResolvedConnectionOptions): OPCUACertificateManager {
  return new OPCUACertificateManager({
    ...(options.pkiDir !== undefined && { rootFolder: options.pkiDir }),
    automaticallyAcceptUnknownCertificate: options.trustAllCertificates ?? false,
  });
}

function identity(options: ResolvedConnectionOptions): UserIdentityInfo {
  if (options.userCertificate !== undefined && options.userPrivateKey !== undefined) {
    const der = Buffer.from(options.userCertificate.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    return { type: UserTokenType.Certificate, certificateData: der, privateKey: options.userPrivateKey };
  }
  if (options.username !== undefined && options.password !== undefined) {
    return { type: UserTokenType.UserName, userName: options.username, password: options.password };
  }
  return { type: UserTokenType.Anonymous };
}

/** Opens a secure channel and a session; throws a retryable `OPCUA_CONNECT_FAILED` with the reason. */
export async function openSession(options: ResolvedConnectionOptions, manager: OPCUACertificateManager): Promise<OpenSession> {
  const client = OPCUAClient.create({
    applicationName: options.applicationName,
    endpointMustExist: false,
    securityMode: MessageSecurityMode[options.securityMode],
    securityPolicy: SecurityPolicy[options.securityPolicy],
    // Reconnecting is the connector's job: it re-creates the session and every monitored item itself.
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 100 },
    clientCertificateManager: manager,
    requestedSessionTimeout: 60_000,
    defaultTransactionTimeout: options.requestTimeout,
    keepSessionAlive: false,
  });
  try {
    await client.connect(options.endpointUrl);
    const session = await client.createSession(identity(options));
    return { client, session };
  } catch (error) {
    await client.disconnect().catch(() => {});
    const reason = redactText((error as Error).message ?? String(error)).split('\n')[0];
    throw new OpcuaError('OPCUA_CONNECT_FAILED', `Cannot open an OPC UA session on ${options.endpointUrl}: ${reason}. Check host, port, security settings and credentials; retrying.`, {
      retryable: true,
      cause: error,
      details: { endpointUrl: options.endpointUrl, securityMode: options.securityMode, securityPolicy: options.securityPolicy },
    });
  }
}

/** Closes the client, and first the session when `graceful`; a server that is already gone is ignored. */
export async function closeSession(open: OpenSession, graceful: boolean): Promise<void> {
  if (graceful) await open.session.close(true).catch(() => {});
  await open.client.disconnect().catch(() => {});
}

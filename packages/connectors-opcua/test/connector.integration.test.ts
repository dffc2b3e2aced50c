import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@iiot/core';
import { OPCUACertificateManager } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpcuaConnector, type OpcuaConnector, type OpcuaDataMessage, isOpcuaError } from '../src/index.js';
import { collect, waitForState } from './fixtures/collect.js';
import { startTestServer, type TestServer } from './fixtures/opcua-server.js';

let server: TestServer;
let connector: OpcuaConnector;
let clientPki: string;

beforeAll(async () => {
  clientPki = mkdtempSync(join(tmpdir(), 'opcua-client-pki-'));
  server = await startTestServer({ secure: true, users: { operator: 'op-secret' } });
  connector = createOpcuaConnector({ host: '127.0.0.1', port: server.port, username: 'operator', password: 'op-secret', pkiDir: clientPki });
  await waitForState(connector, 'connected');
});

afterAll(async () => {
  await connector?.close();
  await server?.stop();
  rmSync(clientPki, { recursive: true, force: true });
});

const value = (m: Message<OpcuaDataMessage>) => m.payload.value;

describe('subscribe', () => {
  it('delivers values with status code and source timestamp, sharing one subscription per publishInterval', async () => {
    const subscriptionsBefore = server.requests('CreateSubscriptionRequest');
    const itemsBefore = server.requests('CreateMonitoredItemsRequest');
    const temperature = collect(connector.source({ address: { nodeId: 'ns=1;s=Temperature', publishInterval: 100, samplingInterval: 50 } }));
    const label = collect(connector.source({ address: { nodeId: 'ns=1;s=Label', publishInterval: 100, samplingInterval: 50 } }));
    const running = collect(connector.source({ address: { nodeId: 'ns=1;s=Running', publishInterval: 100, samplingInterval: 50 } }));
    await Promise.all([temperature, label, running].map((c) => c.until((v) => v.length > 0)));
    expect(label.values[0]?.payload).toMatchObject({ value: 'line 1', statusCode: 'Good' });
    expect(running.values[0]?.payload.value).toBe(true);
    expect(server.requests('CreateSubscriptionRequest') - subscriptionsBefore).toBe(1);
    expect(server.requests('CreateMonitoredItemsRequest') - itemsBefore).toBe(1);

    const before = Date.now();
    server.set('Temperature', 42.25);
    await temperature.until((v) => v.some((m) => value(m) === 42.25));
    const latest = temperature.values.at(-1)!;
    expect(latest.payload.statusCode).toBe('Good');
    expect(latest.payload.sourceTimestamp).toBeGreaterThanOrEqual(before - 1000);
    expect(latest.timestamp).toBe(latest.payload.timestamp);
    for (const c of [temperature, label, running]) c.unsubscribe();
  });

  it('creates monitored items with different sampling intervals in one request each', async () => {
    const itemsBefore = server.requests('CreateMonitoredItemsRequest');
    const subscriptionsBefore = server.requests('CreateSubscriptionRequest');
    const sources = [
      { nodeId: 'ns=1;s=Temperature', samplingInterval: 100 },
      { nodeId: 'ns=1;s=Label', samplingInterval: 100 },
      { nodeId: 'ns=1;s=Running', samplingInterval: 250 },
      { nodeId: 'ns=1;s=Setpoint', samplingInterval: 250 },
    ].map((a) => collect(connector.source({ address: { ...a, publishInterval: 200 } })));
    await Promise.all(sources.map((c) => c.until((v) => v.length > 0)));
    expect(server.requests('CreateSubscriptionRequest') - subscriptionsBefore).toBe(1);
    expect(server.requests('CreateMonitoredItemsRequest') - itemsBefore).toBe(2);

    // Stopping endpoints together deletes their items in one request, and the subscription with the last one.
    const deletesBefore = server.requests('DeleteMonitoredItemsRequest');
    const subscriptionDeletesBefore = server.requests('DeleteSubscriptionsRequest');
    sources[0]!.unsubscribe();
    sources[2]!.unsubscribe();
    await vi.waitFor(() => expect(server.requests('DeleteMonitoredItemsRequest') - deletesBefore).toBe(1));
    sources[1]!.unsubscribe();
    sources[3]!.unsubscribe();
    await vi.waitFor(() => expect(server.requests('DeleteSubscriptionsRequest') - subscriptionDeletesBefore).toBe(1));
    expect(server.requests('DeleteMonitoredItemsRequest') - deletesBefore).toBe(1);
  });

  it('resolves browse paths with TranslateBrowsePathsToNodeIds', async () => {
    const translateBefore = server.requests('TranslateBrowsePathsToNodeIdsRequest');
    const label = collect(connector.source({ address: { browsePath: '/Objects/1:Machine/1:Label', publishInterval: 100 } }));
    const running = collect(connector.source({ address: { browsePath: '/Objects/1:Machine/1:Running', publishInterval: 100 } }));
    await Promise.all([label, running].map((c) => c.until((v) => v.length > 0)));
    expect(value(label.values[0]!)).toBe('line 1');
    expect(value(running.values[0]!)).toBe(true);
    expect(server.requests('TranslateBrowsePathsToNodeIdsRequest') - translateBefore).toBe(1);
    label.unsubscribe();
    running.unsubscribe();
  });

  it('reports a bad node id on its own endpoint and keeps the others running', async () => {
    const good = collect(connector.source({ address: { nodeId: 'ns=1;s=Temperature', publishInterval: 100 } }));
    const unknown = collect(connector.source({ address: { nodeId: 'ns=1;s=NoSuchNode', publishInterval: 100 } }));
    const noPath = collect(connector.source({ address: { browsePath: '/Objects/1:Machine/1:Nothing', publishInterval: 100 } }));
    const malformed = collect(connector.source({ address: { nodeId: 'ns=1;x=??', publishInterval: 100 } }));
    const label = collect(connector.source({ address: { nodeId: 'ns=1;s=Label', publishInterval: 100 } }));
    await Promise.all([unknown, noPath, malformed].map((c) => c.until((_v, error) => error !== undefined)));
    for (const failed of [unknown, noPath, malformed]) {
      expect(isOpcuaError(failed.error, 'OPCUA_NODE_INVALID')).toBe(true);
    }
    expect((unknown.error as Error).message).toContain('BadNodeIdUnknown');
    server.set('Temperature', 7.5);
    await good.until((v) => v.some((m) => value(m) === 7.5));
    await label.until((v) => v.length > 0);
    good.unsubscribe();
    label.unsubscribe();
  });

  it('errors a source whose address is malformed, naming what to fix', async () => {
    const both = collect(connector.source({ address: { nodeId: 'i=2258', browsePath: '/Objects' } }));
    expect(isOpcuaError(both.error, 'OPCUA_CONFIG_INVALID')).toBe(true);
    expect((both.error as Error).message).toContain('exactly one of `nodeId`');
  });
});

describe('read and write', () => {
  it('reads by node id and by browse path', async () => {
    server.set('Label', 'line 2');
    expect(await connector.read({ nodeId: 'ns=1;s=Label' })).toBe('line 2');
    expect(await connector.read({ browsePath: '/Objects/1:Machine/1:Label' })).toBe('line 2');
    await expect(connector.read({ nodeId: 'ns=1;s=NoSuchNode' })).rejects.toMatchObject({ code: 'OPCUA_READ_FAILED' });
  });

  it('writes a value converted to the variable data type and reads it back', async () => {
    expect(await connector.write({ nodeId: 'ns=1;s=Setpoint' }, '23.5')).toBe('Good');
    expect(await connector.read({ nodeId: 'ns=1;s=Setpoint' })).toBe(23.5);
    await expect(connector.write({ nodeId: 'ns=1;s=Setpoint' }, { not: 'a number' })).rejects.toMatchObject({ code: 'OPCUA_WRITE_FAILED' });
    await expect(connector.write({ nodeId: 'ns=1;s=Label' }, 'x')).rejects.toMatchObject({
      code: 'OPCUA_WRITE_FAILED',
      details: { statusCode: 'BadNotWritable' },
    });
  });
});

describe('security', () => {
  it('opens a SignAndEncrypt channel with Basic256Sha256 and a user name identity', async () => {
    const secure = createOpcuaConnector({
      host: '127.0.0.1',
      port: server.port,
      username: 'operator',
      password: 'op-secret',
      options: { securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' },
      trustAllCertificates: true,
      pkiDir: clientPki,
    });
    try {
      await waitForState(secure, 'connected');
      server.set('Running', false);
      expect(await secure.read({ nodeId: 'ns=1;s=Running' })).toBe(false);
    } finally {
      await secure.close();
    }
  });

  it('trusts a server certificate placed in the trusted folder (Aes128_Sha256_RsaOaep) and refuses an unknown one', async () => {
    const settings = {
      host: '127.0.0.1',
      port: server.port,
      username: 'operator',
      password: 'op-secret',
      options: { securityMode: 'SignAndEncrypt', securityPolicy: 'Aes128_Sha256_RsaOaep' },
      connectionStrategy: { initialDelay: 200, maxDelay: 200 },
    } as const;
    const untrustedPki = mkdtempSync(join(tmpdir(), 'opcua-client-pki-'));
    const refused = createOpcuaConnector({ ...settings, pkiDir: untrustedPki });
    try {
      await waitForState(refused, 'reconnecting');
      expect(isOpcuaError(refused.currentStatus().error, 'OPCUA_CONNECT_FAILED')).toBe(true);
      expect(readdirSync(join(untrustedPki, 'rejected')).length).toBeGreaterThan(0);
    } finally {
      await refused.close();
    }
    // What an operator does: move the refused certificate from rejected/ to trusted/certs/.
    const [refusedCert] = readdirSync(join(untrustedPki, 'rejected'));
    renameSync(join(untrustedPki, 'rejected', refusedCert!), join(untrustedPki, 'trusted', 'certs', refusedCert!));
    const trusted = createOpcuaConnector({ ...settings, pkiDir: untrustedPki });
    try {
      await waitForState(trusted, 'connected');
      expect(await trusted.read({ nodeId: 'ns=1;s=Label' })).toEqual(expect.any(String));
    } finally {
      await trusted.close();
      rmSync(untrustedPki, { recursive: true, force: true });
    }
  });

  it('opens a session with an X.509 user certificate where anonymous sessions are refused', async () => {
    const userPki = mkdtempSync(join(tmpdir(), 'opcua-user-pki-'));
    const generator = new OPCUACertificateManager({ rootFolder: userPki });
    await generator.initialize();
    const certificateFile = join(userPki, 'operator.pem');
    await generator.createSelfSignedCertificate({
      applicationUri: 'urn:iiot:test:operator',
      subject: '/CN=operator',
      dns: [],
      startDate: new Date(),
      validity: 30,
      outputFile: certificateFile,
    });
    const secure = createOpcuaConnector({
      host: '127.0.0.1',
      port: server.port,
      userCertificate: readFileSync(certificateFile, 'utf8'),
      userPrivateKey: readFileSync(join(generator.rootDir, 'own', 'private', 'private_key.pem'), 'utf8'),
      options: { securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' },
      trustAllCertificates: true,
      pkiDir: clientPki,
    });
    try {
      await waitForState(secure, 'connected');
      expect(await secure.read({ nodeId: 'ns=1;s=Label' })).toEqual(expect.any(String));
    } finally {
      await secure.close();
      await generator.dispose();
      rmSync(userPki, { recursive: true, force: true });
    }
  });

  it('reports a refused password without the password', async () => {
    const wrong = createOpcuaConnector({ host: '127.0.0.1', port: server.port, username: 'operator', password: 'not-the-secret', pkiDir: clientPki });
    try {
      await waitForState(wrong, 'reconnecting');
      const { error } = wrong.currentStatus();
      expect(isOpcuaError(error, 'OPCUA_CONNECT_FAILED')).toBe(true);
      expect(JSON.stringify({ message: error?.message, details: (error as { details?: unknown }).details })).not.toContain('not-the-secret');
    } finally {
      await wrong.close();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorStatus, Message } from '@iiot/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpcuaConnector, isOpcuaError, LOST_STATUS, type OpcuaConnector, type OpcuaDataMessage } from '../src/index.js';
import { collect, waitForState } from './fixtures/collect.js';
import { startFreezableProxy } from './fixtures/freezable-proxy.js';
import { startTestServer } from './fixtures/opcua-server.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

// Certificates are generated once per folder; sharing the folders keeps each test to a server start.
let serverPki: string;
let clientPki: string;
beforeAll(() => {
  serverPki = mkdtempSync(join(tmpdir(), 'opcua-server-pki-'));
  clientPki = mkdtempSync(join(tmpdir(), 'opcua-client-pki-'));
});
afterAll(() => {
  for (const dir of [serverPki, clientPki]) rmSync(dir, { recursive: true, force: true });
});

const fast = { connectionStrategy: { initialDelay: 100, maxDelay: 400, incrementFactor: 2 } };
const statusOf = (m: Message<OpcuaDataMessage>) => m.payload.statusCode;

describe('recovery', () => {
  it('resumes subscriptions after a server restart on the same port and marks the gap Bad once', async () => {
    let server = await startTestServer({ pkiDir: serverPki });
    const port = server.port;
    cleanup.push(() => server.stop());
    const connector: OpcuaConnector = createOpcuaConnector({ host: '127.0.0.1', port, pkiDir: clientPki, ...fast });
    cleanup.push(() => connector.close());
    const statuses = collect(connector.status);
    const temperature = collect(connector.source({ address: { nodeId: 'ns=1;s=Temperature', publishInterval: 100 } }));
    const label = collect(connector.source({ address: { nodeId: 'ns=1;s=Label', publishInterval: 500 } }));
    await Promise.all([temperature, label].map((c) => c.until((v) => v.some((m) => statusOf(m) === 'Good'))));

    await server.stop();
    await temperature.until((v) => v.some((m) => statusOf(m) === LOST_STATUS));
    await label.until((v) => v.some((m) => statusOf(m) === LOST_STATUS));
    expect(temperature.values.at(-1)?.payload).toMatchObject({ value: null, statusCode: LOST_STATUS });
    // Several reconnect attempts fail while the server is down; the gap is still reported only once.
    await statuses.until((v) => v.filter((s: ConnectorStatus) => s.state === 'reconnecting').length >= 3);
    expect(temperature.values.filter((m) => statusOf(m) === LOST_STATUS)).toHaveLength(1);
    expect(isOpcuaError(connector.currentStatus().error, 'OPCUA_CONNECT_FAILED')).toBe(true);

    server = await startTestServer({ pkiDir: serverPki, port });
    await waitForState(connector, 'connected');
    server.set('Temperature', 55);
    await temperature.until((v) => v.some((m) => m.payload.value === 55 && statusOf(m) === 'Good'));
    await label.until((v) => statusOf(v.at(-1)!) === 'Good');
    expect(temperature.error).toBeUndefined();
  });

  it('gives up a server that keeps the connection open but sends nothing (keep-alive watchdog)', async () => {
    const proxy = await startFreezableProxy();
    cleanup.push(() => proxy.close());
    const server = await startTestServer({ pkiDir: serverPki, advertisedUrl: `opc.tcp://127.0.0.1:${proxy.port}` });
    cleanup.push(() => server.stop());
    proxy.targetPort = server.port;
    const connector = createOpcuaConnector({
      host: '127.0.0.1',
      port: proxy.port,
      pkiDir: clientPki,
      keepAliveInterval: 300,
      requestTimeout: 5000,
      ...fast,
    });
    cleanup.push(() => connector.close());
    const temperature = collect(connector.source({ address: { nodeId: 'ns=1;s=Temperature', publishInterval: 100 } }));
    await temperature.until((v) => v.length > 0);
    await waitForState(connector, 'connected');

    const frozenAt = Date.now();
    proxy.freeze();
    await temperature.until((v) => statusOf(v.at(-1)!) === LOST_STATUS, 5000);
    expect(Date.now() - frozenAt).toBeLessThan(3000);
    const lost = connector.currentStatus();
    expect(lost.state).toBe('reconnecting');
    expect(lost.error?.message).toContain('keep-alive watchdog');

    proxy.thaw();
    server.set('Temperature', 61);
    await temperature.until((v) => v.some((m) => m.payload.value === 61));
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createOpcuaConnector, LOST_STATUS } from '../src/index.js';
import { collect, waitForState } from './fixtures/collect.js';
import { startTestServer } from './fixtures/opcua-server.js';

const CYCLES = Number(process.env.OPCUA_RESTART_CYCLES ?? 10);

it(`keeps every subscription through ${CYCLES} server restarts, with one Bad message per outage`, async () => {
  const serverPki = mkdtempSync(join(tmpdir(), 'opcua-server-pki-'));
  const clientPki = mkdtempSync(join(tmpdir(), 'opcua-client-pki-'));
  let server = await startTestServer({ pkiDir: serverPki });
  const port = server.port;
  const connector = createOpcuaConnector({
    host: '127.0.0.1',
    port,
    pkiDir: clientPki,
    connectionStrategy: { initialDelay: 100, maxDelay: 1000, incrementFactor: 2 },
  });
  const temperature = collect(connector.source({ address: { nodeId: 'ns=1;s=Temperature', publishInterval: 100 } }));
  const label = collect(connector.source({ address: { browsePath: '/Objects/1:Machine/1:Label', publishInterval: 1000 } }));
  try {
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      server.set('Temperature', cycle);
      await temperature.until((v) => v.at(-1)?.payload.value === cycle);
      await server.stop();
      await temperature.until((v) => v.filter((m) => m.payload.statusCode === LOST_STATUS).length === cycle);
      await label.until((v) => v.filter((m) => m.payload.statusCode === LOST_STATUS).length === cycle);
      // The outage lasts a few reconnect attempts.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      server = await startTestServer({ pkiDir: serverPki, port });
      await waitForState(connector, 'connected');
      await label.until((v) => v.at(-1)?.payload.statusCode === 'Good');
    }
    expect(temperature.values.filter((m) => m.payload.statusCode === LOST_STATUS)).toHaveLength(CYCLES);
    expect(temperature.error).toBeUndefined();
    expect(label.error).toBeUndefined();
  } finally {
    await connector.close();
    await server.stop();
    rmSync(serverPki, { recursive: true, force: true });
    rmSync(clientPki, { recursive: true, force: true });
  }
});

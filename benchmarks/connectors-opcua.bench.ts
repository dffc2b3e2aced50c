// pnpm bench connectors-opcua: values per second and CPU time per value from a node-opcua server with 5,000
// monitored items sampled every 100 ms, (a) through the Opcua connector into an in-process aedes broker (data
// messages serialised as JSON and delivered to a subscriber) and (b) in a bare node-opcua client loop that only
// counts its 'changed' events; and (c) the connector alone, counting its messages. The server runs in a child process so this process's CPU time is the client's.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpcuaConnector } from '@iiot/connectors-opcua';
import { Aedes } from 'aedes';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { AttributeIds, OPCUAClient, TimestampsToReturn } from 'node-opcua-client';
import { median, printTable } from './lib/harness.js';

const ITEMS = Number(process.env.OPCUA_ITEMS ?? 5000);
const SAMPLING_MS = 100;
const WINDOW_MS = Number(process.env.OPCUA_WINDOW_MS ?? 5000);
const ROUNDS = Number(process.env.OPCUA_ROUNDS ?? 3);
const nodeIds = Array.from({ length: ITEMS }, (_, i) => `ns=1;s=Bulk${i}`);

if (process.argv.includes('--server')) {
  const { startTestServer } = await import('../packages/connectors-opcua/test/fixtures/opcua-server.js');
  const server = await startTestServer({ bulk: ITEMS, bulkPeriodMs: SAMPLING_MS });
  process.send?.({ port: server.port });
  process.on('message', async () => {
    await server.stop();
    process.exit(0);
  });
} else {
  await main();
}

interface Round {
  valuesPerSecond: number;
  cpuUsPerValue: number;
}

/** Counts values for WINDOW_MS once the first full sampling round has arrived. */
async function measure(count: () => number): Promise<Round> {
  while (count() < ITEMS) await sleep(50);
  await sleep(1000);
  const start = count();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await sleep(WINDOW_MS);
  const values = count() - start;
  const used = process.cpuUsage(cpu);
  return { valuesPerSecond: values / ((performance.now() - t0) / 1000), cpuUsPerValue: (used.user + used.system) / values };
}

async function bare(endpointUrl: string, pkiDir: string): Promise<Round> {
  const manager = new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: true });
  const client = OPCUAClient.create({ applicationName: 'iiot-gateway', endpointMustExist: false, clientCertificateManager: manager, connectionStrategy: { maxRetry: 0 } });
  await client.connect(endpointUrl);
  const session = await client.createSession();
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: SAMPLING_MS,
    requestedMaxKeepAliveCount: 100,
    requestedLifetimeCount: 1000,
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
  });
  const group = await subscription.monitorItems(
    nodeIds.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
    { samplingInterval: SAMPLING_MS, queueSize: 1, discardOldest: true },
    TimestampsToReturn.Both,
  );
  let values = 0;
  group.on('changed', () => {
    values++;
  });
  const round = await measure(() => values);
  await client.disconnect();
  await manager.dispose();
  return round;
}

/** The connector alone, counting data messages: what the connector costs before a broker is involved. */
async function connectorOnly(port: number, pkiDir: string): Promise<Round> {
  let values = 0;
  const connector = createOpcuaConnector({ host: '127.0.0.1', port, pkiDir, trustAllCertificates: true });
  const subscriptions = nodeIds.map((nodeId) =>
    connector.source({ address: { nodeId, publishInterval: SAMPLING_MS, samplingInterval: SAMPLING_MS } }).subscribe({
      next: () => {
        values++;
      },
    }),
  );
  const round = await measure(() => values);
  for (const s of subscriptions) s.unsubscribe();
  await connector.close();
  return round;
}

async function bridge(port: number, pkiDir: string): Promise<Round> {
  const broker = await Aedes.createBroker();
  let delivered = 0;
  await new Promise<void>((resolve) =>
    broker.subscribe(
      'opcua/#',
      (_packet, done) => {
        delivered++;
        done();
      },
      resolve,
    ),
  );
  const connector = createOpcuaConnector({ host: '127.0.0.1', port, pkiDir, trustAllCertificates: true });
  const subscriptions = nodeIds.map((nodeId, i) =>
    connector.source({ address: { nodeId, publishInterval: SAMPLING_MS, samplingInterval: SAMPLING_MS } }).subscribe({
      next: (message) => {
        const payload = Buffer.from(JSON.stringify(message.payload));
        broker.publish({ cmd: 'publish', topic: `opcua/bulk/${i}`, payload, qos: 0, retain: false, dup: false }, () => {});
      },
    }),
  );
  const round = await measure(() => delivered);
  for (const s of subscriptions) s.unsubscribe();
  await connector.close();
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  return round;
}

async function main(): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, ['--server'], { execArgv: ['--import', 'tsx', '--conditions=source'], stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const pkiDir = mkdtempSync(join(tmpdir(), 'opcua-bench-pki-'));
  const bareRounds: Round[] = [];
  const bridgeRounds: Round[] = [];
  const connectorRounds: Round[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating keeps load from other processes on a shared machine hitting both alike.
      bareRounds.push(await bare(`opc.tcp://127.0.0.1:${port}`, pkiDir));
      connectorRounds.push(await connectorOnly(port, pkiDir));
      bridgeRounds.push(await bridge(port, pkiDir));
    }
  } finally {
    child.send('stop');
    rmSync(pkiDir, { recursive: true, force: true });
  }
  const m = (rounds: Round[], key: keyof Round) => median(rounds.map((r) => r[key]));
  const ratio = (rounds: Round[]) => median(rounds.map((r, i) => r.cpuUsPerValue / bareRounds[i]!.cpuUsPerValue));
  const overhead = (ratio(bridgeRounds) - 1) * 100;
  printTable(`OPC UA → aedes, ${ITEMS} monitored items at ${SAMPLING_MS} ms, medians of ${ROUNDS} rounds of ${WINDOW_MS / 1000} s`, ['client', 'values/s', 'CPU µs/value', 'CPU vs bare'], [
    ['bare node-opcua client loop (baseline)', m(bareRounds, 'valuesPerSecond'), m(bareRounds, 'cpuUsPerValue'), '1.00×'],
    ['Opcua connector, counting messages', m(connectorRounds, 'valuesPerSecond'), m(connectorRounds, 'cpuUsPerValue'), `${ratio(connectorRounds).toFixed(2)}×`],
    ['Opcua connector → JSON → aedes → subscriber', m(bridgeRounds, 'valuesPerSecond'), m(bridgeRounds, 'cpuUsPerValue'), `${ratio(bridgeRounds).toFixed(2)}×`],
  ]);
  console.log(`\nbridge CPU overhead over the bare loop: ${overhead.toFixed(1)} % (target ≤ 25 %); values/s target ≥ 20,000`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// pnpm bench connectors-opcua: values per second and CPU time per value from a node-opcua server with 5,000
// monitored items sampled every 100 ms, (a) in a bare node-opcua client loop that only counts its 'changed'
// events, (b) through the Opcua connector alone, counting its data messages, (c) the connector wired by hand
// to aedes.publish (JSON.stringify of each data message), and (d) through the bridge: the
// runtime with a commissioning file of 5,000 Opcua endpoints, publishing each data message as JSON into its
// embedded broker (counted by the endpoints' own flow counters, without a subscriber). The server runs in a
// child process, so this process's CPU time is the client's; the server's is reported beside it.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpcuaConnector } from '@iiot/connectors-opcua';
import { createRuntime } from '@iiot/runtime';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
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
  let since = process.cpuUsage();
  process.send?.({ port: server.port });
  process.on('message', async (message) => {
    if (message === 'cpu') {
      // The server's CPU time since the last question, in µs.
      const used = process.cpuUsage(since);
      since = process.cpuUsage();
      process.send?.({ cpu: used.user + used.system });
      return;
    }
    await server.stop();
    process.exit(0);
  });
} else {
  await main();
}

interface Round {
  valuesPerSecond: number;
  cpuUsPerValue: number;
  serverUsPerValue: number;
}

type ServerCpu = () => Promise<number>;

/**
 * Counts values for WINDOW_MS once the first full sampling round has arrived; `count` is read outside the CPU
 * window. With OPCUA_PROFILE_DIR set, the window is recorded as `<dir>/<name>-<n>.cpuprofile`.
 */
async function measure(name: string, count: () => number, serverCpu: ServerCpu): Promise<Round> {
  while (count() < ITEMS) await sleep(100);
  await sleep(1000);
  const start = count();
  await serverCpu();
  const profile = process.env.OPCUA_PROFILE_DIR ? await startProfile(join(process.env.OPCUA_PROFILE_DIR, name)) : undefined;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await sleep(WINDOW_MS);
  const used = process.cpuUsage(cpu);
  await profile?.();
  const seconds = (performance.now() - t0) / 1000;
  const server = await serverCpu();
  const values = count() - start;
  return { valuesPerSecond: values / seconds, cpuUsPerValue: (used.user + used.system) / values, serverUsPerValue: server / values };
}

async function bare(endpointUrl: string, pkiDir: string, serverCpu: ServerCpu): Promise<Round> {
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
  const round = await measure('bare', () => values, serverCpu);
  await client.disconnect();
  await manager.dispose();
  return round;
}

/** The connector alone, counting data messages: what the connector costs before the runtime is involved. */
async function connectorOnly(port: number, pkiDir: string, serverCpu: ServerCpu): Promise<Round> {
  let values = 0;
  const connector = createOpcuaConnector({ host: '127.0.0.1', port, pkiDir, trustAllCertificates: true });
  const subscriptions = nodeIds.map((nodeId) =>
    connector.source({ address: { nodeId, publishInterval: SAMPLING_MS, samplingInterval: SAMPLING_MS } }).subscribe({
      next: () => {
        values++;
      },
    }),
  );
  const round = await measure('connector', () => values, serverCpu);
  for (const s of subscriptions) s.unsubscribe();
  await connector.close();
  return round;
}

/**
 * The least a bridge must do, wired by hand: the connector's data message as JSON into aedes.publish, counted in
 * its callback. What the runtime adds is the difference to the bridge row.
 */
async function handWired(port: number, pkiDir: string, serverCpu: ServerCpu): Promise<Round> {
  const broker = await Aedes.createBroker();
  let published = 0;
  const done = () => {
    published++;
  };
  const connector = createOpcuaConnector({ host: '127.0.0.1', port, pkiDir, trustAllCertificates: true });
  const subscriptions = nodeIds.map((nodeId, i) => {
    const topic = `services/bench/bulk/${i}`;
    return connector.source({ address: { nodeId, publishInterval: SAMPLING_MS, samplingInterval: SAMPLING_MS } }).subscribe({
      next: (message) => {
        const payload = Buffer.from(JSON.stringify(message.payload));
        broker.publish({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false }, done);
      },
    });
  });
  const round = await measure('hand-wired', () => published, serverCpu);
  for (const s of subscriptions) s.unsubscribe();
  await connector.close();
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  return round;
}

/** A commissioning file with one Opcua subscribe endpoint per variable, publishing on `services/bench/bulk/<i>`. */
function benchFile(port: number): string {
  const endpoints = nodeIds.map(
    (nodeId, i) => `  bulk${i}:
    type: Cybus::Endpoint
    properties:
      protocol: Opcua
      connection: !ref machine
      topic: bulk/${i}
      subscribe:
        nodeId: ${nodeId}
        publishInterval: ${SAMPLING_MS}
        samplingInterval: ${SAMPLING_MS}`,
  );
  return `metadata:
  name: bench
resources:
  machine:
    type: Cybus::Connection
    properties:
      protocol: Opcua
      connection:
        host: 127.0.0.1
        port: ${port}
${endpoints.join('\n')}
`;
}

/**
 * The bridge: the runtime's path from the connector into its embedded broker (endpoint flow, JSON, aedes
 * publish). Counted by the endpoints' flow counters, which the runtime keeps anyway; one network client on
 * one endpoint's topic checks that values really arrive in the broker.
 */
async function bridge(port: number, serverCpu: ServerCpu): Promise<Round> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opcua-bench-runtime-'));
  const runtime = await createRuntime({ dataDir, broker: { port: 0 }, http: false, logger: { level: 'silent' } });
  await runtime.install({ source: benchFile(port), fileName: 'bench.yaml' });
  await runtime.enable('bench');
  const probe = await mqtt.connectAsync(runtime.brokerUrl, { reconnectPeriod: 0 });
  let probed = 0;
  probe.on('message', () => {
    probed++;
  });
  await probe.subscribeAsync('services/bench/bulk/0', { qos: 0 });
  const published = () => {
    let out = 0;
    for (const resource of runtime.status().services[0]?.resources ?? []) out += resource.flow?.out ?? 0;
    return out;
  };
  const round = await measure('bridge', published, serverCpu);
  if (probed === 0) throw new Error('no value of bulk/0 arrived through the broker');
  await probe.endAsync();
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
  return round;
}

async function main(): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, ['--server'], { execArgv: ['--import', 'tsx', '--conditions=source'], stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const serverCpu: ServerCpu = () =>
    new Promise((resolve) => {
      child.once('message', (m: { cpu: number }) => resolve(m.cpu));
      child.send('cpu');
    });
  const pkiDir = mkdtempSync(join(tmpdir(), 'opcua-bench-pki-'));
  const rounds: Record<'bare' | 'connector' | 'handWired' | 'bridge', Round[]> = { bare: [], connector: [], handWired: [], bridge: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating keeps load from other processes on a shared machine hitting all alike.
      rounds.bare.push(await bare(`opc.tcp://127.0.0.1:${port}`, pkiDir, serverCpu));
      rounds.connector.push(await connectorOnly(port, pkiDir, serverCpu));
      rounds.handWired.push(await handWired(port, pkiDir, serverCpu));
      rounds.bridge.push(await bridge(port, serverCpu));
    }
  } finally {
    child.send('stop');
    rmSync(pkiDir, { recursive: true, force: true });
  }
  const m = (list: Round[], key: keyof Round) => median(list.map((r) => r[key]));
  const ratio = (list: Round[]) => median(list.map((r, i) => r.cpuUsPerValue / rounds.bare[i]!.cpuUsPerValue));
  const row = (name: string, list: Round[]) => [name, m(list, 'valuesPerSecond'), m(list, 'cpuUsPerValue'), `${ratio(list).toFixed(2)}×`, m(list, 'serverUsPerValue')];
  printTable(`OPC UA → local broker, ${ITEMS} monitored items at ${SAMPLING_MS} ms, medians of ${ROUNDS} rounds of ${WINDOW_MS / 1000} s`, ['client', 'values/s', 'CPU µs/value', 'CPU vs bare', 'server CPU µs/value'], [
    row('bare node-opcua client loop (baseline)', rounds.bare),
    row('Opcua connector, counting messages', rounds.connector),
    row('connector → JSON.stringify → aedes.publish, by hand', rounds.handWired),
    row('bridge: runtime, Opcua endpoints → JSON → embedded aedes', rounds.bridge),
  ]);
  console.log(`\nbridge CPU overhead over the bare loop: ${((ratio(rounds.bridge) - 1) * 100).toFixed(1)} % (target ≤ 25 %); values/s target ≥ 20,000`);
}

/** Starts the V8 profiler; the returned function stops it and writes the profile. */
async function startProfile(prefix: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    writeFileSync(`${prefix}-${Date.now()}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

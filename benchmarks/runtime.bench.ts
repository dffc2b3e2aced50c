// End to end bridge: a fixed-rate open-loop sender publishes ~200-byte JSON readings (QoS 0) to a source
// Mosquitto; a bridge forwards them over mutual TLS (QoS 1) to a target Mosquitto, where a receiver measures
// latency. Bridges, each its own process: (a) a bare MQTT.js relay building the seed's envelope by hand,
// (b) Mosquitto's own bridge, (c) `iiot run` with the seed's transform and a disk buffer, (d) `iiot run` with a
// pass-through mapping, (e) `iiot run` as (c) with its embedded broker as the source (its CPU then includes the
// broker's inbound work, as (b)'s does). CPU per message and peak RSS are the bridge process's own. The sender and the receiver
// speak MQTT through a minimal wire client and Mosquitto logs no per-packet lines, so the apparatus leaves as
// much of the two cores as it can to the bridge. BENCH_VERBOSE=1 shows what the bridge processes print.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestPki, freePort, type MosquittoHandle, type MosquittoOptions, startMosquitto } from '@iiot/test-support';
import mqtt from 'mqtt';
import { median, printTable, quantile } from './lib/harness.js';
import { connectWire, encodePublish } from './lib/mqtt-wire.js';

const here = dirname(fileURLToPath(import.meta.url));
const RATES = (process.env.BENCH_RATES ?? '5000,10000,20000,40000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const PREFIX = 'services/bench/test/';

if (process.argv[2] === 'send') {
  await send(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
  process.exit(0);
}
if (process.argv[2] === 'relay') {
  process.once('SIGTERM', () => process.exit(0)); // an orderly exit, so that --cpu-prof writes its profile
  await relay(process.argv[4]!, process.argv[5]!, JSON.parse(process.argv[6]!));
  await new Promise(() => {}); // relay until killed; the benchmark below runs only in the parent
}

/** (a): subscribe, wrap in the seed's envelope by hand, publish QoS 1. */
async function relay(sourceUrl: string, targetUrl: string, tls: { ca: string; cert: string; key: string }): Promise<void> {
  const target = await mqtt.connectAsync(targetUrl, { ...tls, clientId: 'bare-relay-out' });
  const source = await mqtt.connectAsync(sourceUrl, { clientId: 'bare-relay-in' });
  source.on('message', (topic, payload) => {
    const body = `{"deviceId":"TestDevice","payload":${JSON.stringify(JSON.parse(payload.toString()))}}`;
    target.publish(`TestDevice/${topic.slice(PREFIX.length)}`, body, { qos: 1 });
  });
  await source.subscribeAsync(`${PREFIX}#`, { qos: 0 });
  console.log('relay ready');
}

interface Bridge {
  name: string;
  start(): Promise<number>; // pid of the process doing the bridging
  stop(): Promise<void>;
}

// `iiot run` as users run it, from the built package, when it has been built (`pnpm build`); else from source.
const BUILT_CLI = join(here, '../packages/cli/dist/bin.js');
const iiotFromDist = process.env.BENCH_IIOT !== 'source' && existsSync(BUILT_CLI);

function child(args: string[], ready: string): { proc: ChildProcess; up: Promise<void> } {
  const iiot = args.includes('run');
  const bridging = iiot || args.includes('relay');
  const profile = process.env.BENCH_PROFILE_DIR && bridging ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  // Extra Node.js flags for the bridge processes only, such as --trace-gc (not allowed in NODE_OPTIONS).
  if (bridging && process.env.BENCH_NODE_FLAGS) profile.push(...process.env.BENCH_NODE_FLAGS.split(' '));
  const loader = iiot && iiotFromDist ? [] : ['--conditions=source', '--import', 'tsx'];
  const proc = spawn(process.execPath, [...profile, ...loader, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const up = new Promise<void>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      out += chunk;
      if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
      if (out.includes(ready)) resolve();
    };
    proc.stdout!.on('data', look);
    proc.stderr!.on('data', look);
    proc.once('exit', (code) => reject(new Error(`bridge exited (${code}): ${out.slice(-2000)}`)));
  });
  return { proc, up };
}

const ended = (proc: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

const peakRssMiB = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Open loop: every millisecond, publish what the schedule says is due, whatever the bridge does. */
async function send(url: string, rate: number, seconds: number): Promise<void> {
  const sender = await connectWire(url, `sender-${rate}`);
  const total = rate * seconds;
  const pad = 'x'.repeat(90);
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
      const packets: Buffer[] = [];
      for (; sent < due; sent++) {
        const reading = `{"DeviceData":{"Temperature":21.5,"Position":{"X":1.25,"Y":2.5,"Z":0.75}},"n":${sent},"t":${performance.timeOrigin + performance.now()},"pad":"${pad}"}`;
        packets.push(encodePublish(`${PREFIX}machine${sent % 8}`, reading));
      }
      if (packets.length) sender.write(Buffer.concat(packets));
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await sender.end();
  console.log(`sent ${sent}`);
}

async function measure(source: { url: string }, received: Map<number, number>, pid: number, rate: number) {
  received.clear();
  const total = rate * SECONDS;
  const cpuBefore = cpuMs(pid);
  // The sender is its own process, so neither it nor the receiver slows the other down.
  const sender = child([fileURLToPath(import.meta.url), 'send', source.url, String(rate), String(SECONDS)], 'sent');
  await sender.up;
  // Wait until nothing new arrived for 2 s.
  for (let last = -1; received.size !== last; ) {
    last = received.size;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const cpu = cpuMs(pid) - cpuBefore;
  const latencies = [...received.values()];
  return {
    delivered: (100 * received.size) / total,
    p50: latencies.length ? quantile(latencies, 0.5) : Number.NaN,
    p99: latencies.length ? quantile(latencies, 0.99) : Number.NaN,
    cpuUsPerMsg: received.size ? (cpu * 1000) / received.size : Number.NaN,
    rss: peakRssMiB(pid),
  };
}

const pki = createTestPki();
const client = pki.issueClient({ commonName: 'bench-bridge' });
const tls = { ca: pki.ca.cert, cert: client.cert, key: client.key };
const unbounded = ['max_queued_messages 0', 'max_inflight_messages 0'];
const mosquitto = (options: MosquittoOptions = {}) => startMosquitto({ logPackets: false, ...options, extraConfig: [...unbounded, ...(options.extraConfig ?? [])] });
// Bridges reach the target over mutual TLS; the receiver reads it on a second, plain listener.
const receiverPort = await freePort();
const target = await mosquitto({
  tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, requireCertificate: true },
  extraConfig: [`listener ${receiverPort} 127.0.0.1`],
});
const work = mkdtempSync(join(tmpdir(), 'iiot-bench-'));
for (const [name, text] of Object.entries({ 'ca.pem': pki.ca.cert, 'client.pem': client.cert, 'client.key': client.key })) writeFileSync(join(work, name), text);
const seedBridge = readFileSync(join(here, '../packages/runtime/test/fixtures/seed-bridge.yaml'), 'utf8');
writeFileSync(join(work, 'seed.yaml'), seedBridge);
writeFileSync(join(work, 'pass.yaml'), seedBridge.slice(0, seedBridge.indexOf('          rules:')));

/** Where the sender publishes: a Mosquitto this benchmark started, or the embedded broker of `iiot run`. */
let source!: Pick<MosquittoHandle, 'url' | 'close'>;
let current: ChildProcess | undefined;

/** A bridge process started with `args`, ready once it prints `ready`. */
const node = (args: string[], ready: string) => async () => {
  const port = await freePort();
  source = args.includes('--broker-port') ? { url: `mqtt://127.0.0.1:${port}`, close: async () => {} } : await mosquitto();
  const value = (name: string) => (name === '--broker' ? source.url : name === '--broker-port' ? String(port) : name === '--data-dir' ? mkdtempSync(join(work, 'data-')) : undefined);
  const run = child(args.map((a, i) => value(args[i - 1]!) ?? a), ready);
  current = run.proc;
  await run.up;
  return run.proc.pid!;
};
const iiot = (file: string, broker: '--broker' | '--broker-port') =>
  node(
    [
      iiotFromDist ? BUILT_CLI : join(here, '../packages/cli/src/bin.ts'), 'run', join(work, file), '--service-id', 'bench', broker, '', '--data-dir', '',
      '--http-port', '0', '--param', 'Aws_IoT_Endpoint_Address=127.0.0.1', '--param', `Aws_IoT_Port=${target.port}`,
      '--define', `caCert=@${join(work, 'ca.pem')}`, '--define', `clientCert=@${join(work, 'client.pem')}`, '--define', `clientPrivateKey=@${join(work, 'client.key')}`,
    ],
    'iiot: running',
  );

const bridges: Bridge[] = [
  {
    name: '(a) bare MQTT.js relay, envelope by hand',
    start: () => node([fileURLToPath(import.meta.url), 'relay', '--broker', '', target.url, JSON.stringify(tls)], 'relay ready')(),
    stop: () => ended(current!),
  },
  {
    name: "(b) Mosquitto's bridge, no transform",
    // The source broker itself bridges, so its CPU also counts the broker's own inbound work.
    async start() {
      source = await mosquitto({
        extraConfig: [
          'connection cloud', `address 127.0.0.1:${target.port}`, `topic # out 1 ${PREFIX} TestDevice/`,
          `bridge_cafile ${join(work, 'ca.pem')}`, `bridge_certfile ${join(work, 'client.pem')}`, `bridge_keyfile ${join(work, 'client.key')}`,
        ],
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return newestMosquitto();
    },
    stop: async () => {},
  },
  { name: '(c) iiot run, seed transform, disk buffer', start: () => iiot('seed.yaml', '--broker')(), stop: () => ended(current!) },
  { name: '(d) iiot run, pass-through mapping', start: () => iiot('pass.yaml', '--broker')(), stop: () => ended(current!) },
  { name: '(e) iiot run as (c), its embedded broker as the source', start: () => iiot('seed.yaml', '--broker-port')(), stop: () => ended(current!) },
];

/** The pid of the Mosquitto this process started last. */
function newestMosquitto(): number {
  const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  return Math.max(...children.filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('mosquitto')));
}

const received = new Map<number, number>();
// (b) forwards the reading as it is; the others wrap it in the seed's envelope. Either way it holds "n" and "t".
const field = (text: string, name: string) => Number.parseFloat(text.slice(text.indexOf(`"${name}":`) + name.length + 3));
const receiver = await connectWire(`mqtt://127.0.0.1:${receiverPort}`, 'bench-receiver', (_topic, payload) => {
  const text = payload.toString();
  received.set(field(text, 'n'), performance.timeOrigin + performance.now() - field(text, 't'));
});
await receiver.subscribe('TestDevice/#');

const rows: (string | number)[][] = [];
const cpuOfA = new Map<number, number>();
for (const bridge of bridges.filter((b) => (process.env.BENCH_BRIDGES ?? 'abcde').includes(b.name[1]!))) {
  const pid = await bridge.start();
  for (const rate of RATES) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await measure(source, received, pid, rate));
    const m = {
      delivered: median(runs.map((x) => x.delivered)),
      p50: median(runs.map((x) => x.p50)),
      p99: median(runs.map((x) => x.p99)),
      cpu: median(runs.map((x) => x.cpuUsPerMsg)),
      rss: Math.max(...runs.map((x) => x.rss)),
    };
    if (bridge.name.startsWith('(a)')) cpuOfA.set(rate, m.cpu);
    rows.push([bridge.name, rate, m.delivered.toFixed(2), m.p50.toFixed(1), m.p99.toFixed(1), m.cpu.toFixed(1), (m.cpu / cpuOfA.get(rate)!).toFixed(2), m.rss.toFixed(0)]);
    console.log(rows.at(-1)!.join(' | '));
  }
  await bridge.stop();
  await source.close();
}
printTable(
  `runtime: end to end bridge, ${SECONDS} s per rate, median of ${RUNS} run(s); CPU ratio against (a) at the same rate; iiot run from ${iiotFromDist ? 'the built package' : 'source (tsx)'}`,
  ['bridge', 'offered msg/s', 'delivered %', 'p50 ms', 'p99 ms', 'CPU µs/msg', 'CPU × (a)', 'peak RSS MiB'],
  rows,
);
await receiver.end();
await target.close();
rmSync(work, { recursive: true, force: true });
process.exit(0);

// Messages per second relayed from broker A to broker B (subscribe QoS 1 → publish QoS 1), through
// @iiot/connectors-mqtt against a bare MQTT.js relay doing the same work, in the same run on the same brokers.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMqttConnection } from '@iiot/connectors-mqtt';
import { findMosquitto, startMosquitto } from '@iiot/test-support';
import { connect, connectAsync, type MqttClient } from 'mqtt';
import { median, printTable } from './lib/harness.js';

const MESSAGES = 10_000;
const RUNS = 11;
const PAYLOAD = Buffer.from(JSON.stringify({ timestamp: 1_700_000_000_000, value: 21.5, unit: 'degC', quality: 'good' }));

interface Relay {
  /** Connects and relays what broker A queued for the relay's session. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const SESSION = 'bench-relay';

/** The baseline: what a hand-written relay on MQTT.js does. */
function bareRelay(a: string, b: string): Relay {
  let from: MqttClient | undefined;
  let to: MqttClient | undefined;
  return {
    async start() {
      const sink = (to = await connectAsync(b, { reconnectPeriod: 0 }));
      from = connect(a, { clientId: SESSION, clean: false, reconnectPeriod: 0 });
      from.on('message', (topic, payload) => sink.publish(topic, payload, { qos: 1 }, () => undefined));
    },
    async stop() {
      await Promise.all([from?.endAsync(), to?.endAsync()]);
    },
  };
}

/** The same relay through the connector: a MessageSource piped into a MessageSink. */
function connectorRelay(a: { port: number }, b: { port: number }): Relay {
  const from = createMqttConnection({ host: '127.0.0.1', port: a.port, clientId: SESSION, clean: false });
  const to = createMqttConnection({ host: '127.0.0.1', port: b.port });
  const subscription = from.subscribe('plant/+machine/#rest', { qos: 1 }).subscribe({
    next: (message) => {
      to.publish({ ...message, qos: 1 }).catch(() => undefined);
    },
  });
  return {
    async start() {
      await to.connect();
      await from.connect();
    },
    async stop() {
      subscription.unsubscribe();
      await Promise.all([from.close(), to.close()]);
    },
  };
}

// The consumer on B runs in a child process, so this process does nothing but relay while the clock runs.
const CONSUMER = `
import { connectAsync } from 'mqtt';
const [url, count] = process.argv.slice(-2);
const client = await connectAsync(url);
let arrived = 0;
client.on('message', () => { if (++arrived === Number(count)) { console.log('done'); client.end(); } });
await client.subscribeAsync('plant/#', { qos: 1 });
console.log('ready');
`;

function startConsumer(url: string): { ready: Promise<void>; done: Promise<void> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CONSUMER, url, String(MESSAGES)], {
    cwd: dirname(fileURLToPath(import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = (word: string) =>
    new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => data.toString().includes(word) && resolve());
      child.once('exit', (code) => reject(new Error(`consumer exited (${code}) before "${word}"`)));
    });
  return { ready: line('ready'), done: line('done') };
}

/**
 * Queues MESSAGES on A for the relay's session while it is away, then times the relay from connecting until all
 * arrived at the consumer on B: the producer's work stays out of the figure.
 */
async function measure(relay: Relay, a: string, b: string): Promise<{ rate: number; cpuUs: number }> {
  const session = await connectAsync(a, { clientId: SESSION, clean: false });
  // The plain form of the connector's 'plant/+machine/#rest': both relays find the same subscription.
  await session.subscribeAsync('plant/+/#', { qos: 1 });
  await session.endAsync();
  const producer = await connectAsync(a);
  const published: Promise<unknown>[] = [];
  for (let i = 0; i < MESSAGES; i++) published.push(producer.publishAsync(`plant/m${i % 50}/temperature`, PAYLOAD, { qos: 1 }));
  await Promise.all(published);
  await producer.endAsync();
  const consumer = startConsumer(b);
  await consumer.ready;

  const started = performance.now();
  const cpu = process.cpuUsage();
  await relay.start();
  await consumer.done;
  const rate = MESSAGES / ((performance.now() - started) / 1000);
  const used = process.cpuUsage(cpu);
  // This process only relays while the clock runs, so its CPU time is the relay's cost, whatever else the machine runs.
  const cpuUs = (used.user + used.system) / MESSAGES;
  await relay.stop();
  // End the session, so the next run starts from an empty queue.
  await (await connectAsync(a, { clientId: SESSION, clean: true })).endAsync();
  return { rate, cpuUs };
}

if (!findMosquitto()) {
  console.log('SKIPPED: mosquitto is not on PATH (apt-get install -y mosquitto).');
  process.exit(0);
}
// An unbounded queue holds the burst for the relay's session; 100 in flight towards a client, as AWS IoT allows;
// connection events logged (startMosquitto waits for "running"), but no per-message lines piped into this process.
const quiet = ['log_type none', 'log_type information', 'log_type notice'];
const config = { extraConfig: ['max_queued_messages 0', 'max_inflight_messages 100', ...quiet] };
const [brokerA, brokerB] = await Promise.all([startMosquitto(config), startMosquitto(config)]);
const bare: number[] = [];
const connector: number[] = [];
const rateRatios: number[] = [];
const cpuRatios: number[] = [];
const bareCpu: number[] = [];
const connectorCpu: number[] = [];
for (let run = 0; run < RUNS + 1; run++) {
  // Alternate, and compare each pair, so drift in the machine's load hits both alike; the first pair warms up.
  const b = await measure(bareRelay(brokerA.url, brokerB.url), brokerA.url, brokerB.url);
  const c = await measure(connectorRelay(brokerA, brokerB), brokerA.url, brokerB.url);
  if (run === 0) continue;
  bare.push(b.rate);
  connector.push(c.rate);
  bareCpu.push(b.cpuUs);
  connectorCpu.push(c.cpuUs);
  rateRatios.push(c.rate / b.rate);
  cpuRatios.push(b.cpuUs / c.cpuUs);
}
await Promise.all([brokerA.close(), brokerB.close()]);

const rateRatio = median(rateRatios);
const cpuRatio = median(cpuRatios);
printTable(
  `relay A → B, ${MESSAGES.toLocaleString('en-US')} messages of ${PAYLOAD.length} bytes, QoS 1, median of ${RUNS} paired runs`,
  ['relay', 'messages/s', 'throughput ratio', 'relay CPU µs/message', 'CPU efficiency ratio'],
  [
    ['bare MQTT.js', median(bare), 1, median(bareCpu), 1],
    ['@iiot/connectors-mqtt', median(connector), rateRatio, median(connectorCpu), cpuRatio],
  ],
);
console.log(`\npaired throughput ratios: ${rateRatios.map((r) => r.toFixed(2)).join(' ')}`);
console.log(`paired CPU efficiency ratios (bare CPU / connector CPU): ${cpuRatios.map((r) => r.toFixed(2)).join(' ')}`);
console.log(`target: connector within 10% of bare (ratio ≥ 0.90): throughput ${rateRatio >= 0.9 ? 'met' : 'MISSED'}, CPU ${cpuRatio >= 0.9 ? 'met' : 'MISSED'}`);

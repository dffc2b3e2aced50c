import { type AddressInfo, createServer } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { Runtime } from '../src/index.js';

/** Resolves once every service is enabled and no resource deviates from its target state. */
export async function settled(runtime: Runtime, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const services = runtime.status().services;
    if (services.length > 0 && services.every((s) => s.state === 'enabled' && !s.deviated)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`runtime did not settle: ${JSON.stringify(runtime.status().services.map((s) => s.deviations))}`);
}

/** Collects messages on a filter until `count` arrived. */
export async function collect(url: string, filter: string, options: mqtt.IClientOptions = {}) {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...options });
  const messages: { topic: string; payload: string }[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  client.on('message', (topic, payload) => {
    messages.push({ topic, payload: payload.toString() });
    for (const w of waiters) if (messages.length >= w.count) w.resolve();
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return {
    messages,
    client,
    until(count: number, timeoutMs = 60_000) {
      if (messages.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${count} messages arrived`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** An aedes broker on a free port of 127.0.0.1 that records every connection's client id and every client's publish. */
export async function startAedes() {
  const broker = await Aedes.createBroker();
  const clients: string[] = [];
  const published: { topic: string; qos: number }[] = [];
  broker.on('client', (client) => clients.push(client.id));
  broker.on('publish', (packet, client) => client && published.push({ topic: packet.topic, qos: packet.qos }));
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    clients,
    published,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Per topic, the sequence numbers in the order of their first arrival, and how many arrived twice. */
export function arrivals(messages: { topic: string; payload: string }[]) {
  const firstSeen = new Map<string, number[]>();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const { topic, payload } of messages) {
    const n = (JSON.parse(payload) as { payload: { n: number } }).payload.n;
    const key = `${topic}#${n}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    firstSeen.set(topic, [...(firstSeen.get(topic) ?? []), n]);
  }
  return { firstSeen, duplicates };
}

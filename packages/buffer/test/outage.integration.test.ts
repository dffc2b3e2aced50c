import { createServer, type Server, type Socket } from 'node:net';
import { IiotError, type Message, type MessageSink } from '@iiot/core';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { Subject, type Subscription } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { type BufferStore, createDiskBuffer, storeAndForward } from '../src/index.js';
import { tempDir } from './helpers.js';

const TOPIC = 'plant/outage';
const OUTAGE_MS = 10_000;
const DURING_OUTAGE = 20_000;

/** An in-process aedes broker on 127.0.0.1 that can be stopped and started again on the same port. */
function createBroker(onMessage: (n: number) => void) {
  let server: Server | undefined;
  let aedes: Aedes | undefined;
  const sockets = new Set<Socket>();
  let port = 0;
  return {
    get url() {
      return `mqtt://127.0.0.1:${port}`;
    },
    async start() {
      aedes = await Aedes.createBroker();
      aedes.on('publish', (packet, client) => {
        if (client && packet.topic === TOPIC) onMessage(JSON.parse(packet.payload.toString()).n);
      });
      server = createServer((socket) => {
        sockets.add(socket.once('close', () => sockets.delete(socket)));
        aedes!.handle(socket);
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    },
    async stop() {
      const closed = new Promise((resolve) => server!.close(resolve));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => aedes!.close(() => resolve()));
      await closed;
    },
  };
}

/** MQTT.js as a sink: QoS 1, resolved on PUBACK, a retryable error while not connected (as a connector does). */
function mqttSink(client: MqttClient): MessageSink {
  return {
    async publish(message: Message) {
      if (!client.connected) throw new IiotError('SINK_DISCONNECTED', 'not connected', { retryable: true });
      const payload = message.payload as Uint8Array;
      await client
        .publishAsync(message.topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: 1 })
        .catch((cause: unknown) => {
          throw new IiotError('SINK_PUBLISH_FAILED', 'publish failed', { retryable: true, cause });
        });
    },
  };
}

describe('storeAndForward through a disk buffer to a real MQTT broker', () => {
  const temp = tempDir('outage');
  let buffer: BufferStore | undefined;
  let client: MqttClient | undefined;
  let pipeline: Subscription | undefined;
  afterAll(async () => {
    pipeline?.unsubscribe();
    await client?.endAsync(true);
    await buffer?.close();
    temp.cleanup();
  });

  it(`delivers everything, in order, after a ${OUTAGE_MS / 1000} s outage during which ${DURING_OUTAGE} messages were sent`, async () => {
    const arrivals: number[] = [];
    const broker = createBroker((n) => arrivals.push(n));
    await broker.start();
    buffer = await createDiskBuffer({ dir: temp.dir, sync: { everyMs: 10 } });
    client = mqtt.connect(broker.url, { reconnectPeriod: 250, connectTimeout: 2_000 });
    await new Promise((resolve) => client!.once('connect', resolve));
    const forward = storeAndForward(buffer, mqttSink(client), { retryDelayMs: 200, maxInFlight: 200 });
    const source = new Subject<Message>();
    const delivered: number[] = [];
    const total = 100 + DURING_OUTAGE + 100;
    const done = new Promise<void>((resolve, reject) => {
      pipeline = source.pipe(forward).subscribe({
        next: (m) => delivered.push(JSON.parse(Buffer.from(m.payload as Uint8Array).toString()).n) === total && resolve(),
        error: reject,
      });
    });
    let next = 0;
    const send = (count: number) => {
      for (const end = next + count; next < end; next++) {
        source.next({ topic: TOPIC, payload: Buffer.from(JSON.stringify({ n: next })), timestamp: Date.now() });
      }
    };

    send(100);
    await expect.poll(() => delivered.length, { timeout: 10_000 }).toBe(100);

    await broker.stop();
    const started = Date.now();
    const ticks = 50;
    for (let tick = 1; tick <= ticks; tick++) {
      send(DURING_OUTAGE / ticks);
      await new Promise((resolve) => setTimeout(resolve, started + (tick * OUTAGE_MS) / ticks - Date.now()));
    }
    // Spooled counts from the first failed send on; the first batch was stored before anyone knew.
    expect(forward.counters.spooled).toBeGreaterThanOrEqual(DURING_OUTAGE - DURING_OUTAGE / ticks);
    expect(delivered.length).toBeLessThan(200);
    await broker.start();
    send(100);
    await done;
    // The broker may acknowledge a message a moment before it reports it as published.
    await expect.poll(() => new Set(arrivals).size, { timeout: 5_000 }).toBe(total);
    await broker.stop();

    expect(delivered).toStrictEqual(Array.from({ length: total }, (_, n) => n));
    const seen = new Set<number>();
    expect(arrivals.filter((n) => !seen.has(n) && seen.add(n))).toStrictEqual(delivered);
    expect(forward.counters).toMatchObject({ stored: total, delivered: total, dropped: 0, expired: 0 });
    expect(forward.counters.drained).toBeGreaterThanOrEqual(DURING_OUTAGE);
    expect(buffer.stats().messages).toBe(0);
  }, 90_000);
});

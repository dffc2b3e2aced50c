import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetter } from '../src/index.js';
import type { AwsIotEmulator } from '../src/emulator/index.js';
import { startStandIn, testPki, until } from './fixtures/stand-in.js';
import { closeAll, recordArrivals, transportTo } from './fixtures/transport.js';

describe('createAwsIotTransport against the AWS IoT stand-in', () => {
  let emulator: AwsIotEmulator;
  beforeAll(async () => {
    emulator = await startStandIn();
  });
  afterEach(closeAll);
  afterAll(() => emulator.close());

  it('delivers a compliant stream complete and in order', async () => {
    const transport = transportTo(emulator);
    const arrivals = recordArrivals(emulator);
    const sent = Array.from({ length: 60 }, (_, i) =>
      transport.publish({ topic: `plant/line${i % 3}/temp`, payload: { seq: i }, timestamp: Date.now() }),
    );
    await Promise.all(sent);
    arrivals.stop();
    for (let line = 0; line < 3; line++) {
      const seqs = arrivals.byTopic.get(`plant/line${line}/temp`)!.map((p) => JSON.parse(p).seq);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, k) => k * 3 + line));
    }
    expect(transport.status().delivered).toBe(60);
  });

  it('refuses an oversize payload, an 8-slash topic and QoS 2 locally, with reasons, and stays connected', async () => {
    const letters: DeadLetter[] = [];
    const transport = transportTo(emulator, { deadLetter: (l) => letters.push(l) });
    const observed: DeadLetter[] = [];
    transport.deadLetters.subscribe({ next: (l) => observed.push(l) });
    await transport.ready();
    const before = emulator.stats();
    const now = Date.now();
    await expect(transport.publish({ topic: 'plant/big', payload: new Uint8Array(131_073), timestamp: now })).rejects.toMatchObject({
      code: 'AWS_PAYLOAD_TOO_LARGE',
      retryable: false,
      message: expect.stringContaining('plant/big'),
    });
    await expect(transport.publish({ topic: 'a/b/c/d/e/f/g/h/i', payload: 1, timestamp: now })).rejects.toMatchObject({
      code: 'AWS_TOPIC_TOO_DEEP',
      message: expect.stringContaining('8 slashes'),
    });
    await expect(transport.publish({ topic: 'plant/q2', payload: 1, qos: 2, timestamp: now })).rejects.toMatchObject({
      code: 'AWS_QOS_UNSUPPORTED',
    });
    expect(letters.map((l) => l.code)).toEqual(['AWS_PAYLOAD_TOO_LARGE', 'AWS_TOPIC_TOO_DEEP', 'AWS_QOS_UNSUPPORTED']);
    expect(observed).toEqual(letters);
    expect(letters[1]!.reason).toMatch(/allows 7/);
    await transport.publish({ topic: 'plant/ok', payload: 1, timestamp: now });
    const after = emulator.stats();
    expect(transport.status().connections[0]!.connected).toBe(true);
    expect(transport.status().rejected).toEqual({ AWS_PAYLOAD_TOO_LARGE: 1, AWS_TOPIC_TOO_DEEP: 1, AWS_QOS_UNSUPPORTED: 1 });
    expect(after.closedForPayload + after.closedForQos2 + after.closedForTopic).toBe(
      before.closedForPayload + before.closedForQos2 + before.closedForTopic,
    );
  });

  it('delivers 1,000 messages offered in one second within the throttle, none dropped by the stand-in', async () => {
    const transport = transportTo(emulator);
    await transport.ready();
    const arrivals = recordArrivals(emulator);
    const droppedBefore = emulator.stats().dropped;
    const sent: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) sent.push(transport.publish({ topic: `burst/${i % 10}`, payload: { i }, timestamp: Date.now() }));
    const started = performance.now();
    await Promise.all(sent);
    const seconds = (performance.now() - started) / 1000;
    arrivals.stop();
    expect(arrivals.total()).toBe(1000);
    expect(emulator.stats().dropped).toBe(droppedBefore);
    // 100 publishes per second: about ten seconds, never much faster.
    expect(seconds).toBeGreaterThan(9);
  }, 30_000);

  it('spreads topics over a pool of client ids, keeping each topic on one connection in order', async () => {
    const transport = transportTo(emulator, { clientId: 'pool', connections: 4 });
    const byClient = new Map<string, Set<string>>();
    const seqs = new Map<string, number[]>();
    const off = emulator.onPublish((topic, payload, clientId) => {
      byClient.set(clientId!, (byClient.get(clientId!) ?? new Set()).add(topic));
      seqs.set(topic, [...(seqs.get(topic) ?? []), JSON.parse(payload.toString()).n]);
    });
    const sent = [];
    for (let n = 0; n < 10; n++) for (let t = 0; t < 16; t++) sent.push(transport.publish({ topic: `pool/${t}`, payload: { n }, timestamp: 0 }));
    await Promise.all(sent);
    off();
    expect([...byClient.keys()].sort()).toEqual(['pool-1', 'pool-2', 'pool-3', 'pool-4']);
    const owners = [...byClient.values()].flatMap((topics) => [...topics]);
    expect(new Set(owners).size).toBe(owners.length);
    for (const list of seqs.values()) expect(list).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('batches readings for one topic into JSON arrays within the latency budget', async () => {
    const transport = transportTo(emulator, { batching: { maxLatencyMs: 100, maxBytes: 4096 } });
    await transport.ready();
    const arrivals = recordArrivals(emulator);
    const sent = [];
    for (let i = 0; i < 500; i++) sent.push(transport.publish({ topic: `batched/${i % 2}`, payload: { i }, timestamp: 0 }));
    sent.push(transport.publish({ topic: 'batched/0', payload: new TextEncoder().encode('not json'), timestamp: 0 }));
    await Promise.all(sent);
    arrivals.stop();
    const zero = arrivals.byTopic.get('batched/0')!.flatMap((p) => JSON.parse(p));
    expect(zero).toEqual([...Array.from({ length: 250 }, (_, k) => ({ i: k * 2 })), 'not json']);
    for (const p of arrivals.byTopic.get('batched/0')!) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(4096);
    expect(transport.status().publishes).toBeLessThan(20);
    expect(transport.status().delivered).toBe(501);
  });

  it('connects on the ALPN port with x-amzn-mqtt-ca', async () => {
    const transport = transportTo(emulator, { port: emulator.alpnPort!, alpn: true });
    await transport.publish({ topic: 'alpn/ok', payload: 'yes', timestamp: 0 });
    expect(transport.status().delivered).toBe(1);
  });

  it('loses nothing when the stand-in goes away mid-stream, and keeps the order per topic', async () => {
    const transport = transportTo(emulator);
    await transport.ready();
    const arrivals = recordArrivals(emulator);
    const sent = Array.from({ length: 150 }, (_, i) => transport.publish({ topic: 'outage/t', payload: { i }, timestamp: 0 }));
    // Down while publishes are in flight and queued; up again once the connection noticed.
    await until(() => arrivals.total() >= 40);
    await emulator.stop();
    await until(() => !transport.status().connections[0]!.connected);
    sent.push(...Array.from({ length: 50 }, (_, k) => transport.publish({ topic: 'outage/t', payload: { i: 150 + k }, timestamp: 0 })));
    await emulator.start();
    await Promise.all(sent);
    arrivals.stop();
    const seen = arrivals.byTopic.get('outage/t')!.map((p) => JSON.parse(p).i as number);
    const firsts = seen.filter((i, at) => seen.indexOf(i) === at);
    expect(firsts).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('never shows the private key in status or errors', async () => {
    const transport = transportTo(emulator);
    const failure = await transport.publish({ topic: '$SYS/x', payload: 1, timestamp: 0 }).catch((e: Error) => e);
    const key = testPki().client.key;
    const keyLine = key.split('\n')[1]!;
    for (const text of [JSON.stringify(transport.status()), JSON.stringify(failure), String(failure)]) {
      expect(text).not.toContain(keyLine);
    }
  });

  it('refuses a client id AWS would refuse, and a URL in place of a host name', () => {
    expect(() => transportTo(emulator, { clientId: '$bad' })).toThrow(expect.objectContaining({ code: 'AWS_CLIENT_ID_INVALID' }));
    expect(() => transportTo(emulator, { host: 'mqtts://example.com' })).toThrow(expect.objectContaining({ code: 'AWS_CONFIG_INVALID' }));
  });
});

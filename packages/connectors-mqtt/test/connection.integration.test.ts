import { isIiotError } from '@iiot/core';
import { connectAsync } from 'mqtt';
import { from, take, toArray, lastValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMqttConnection, type MqttConnection, type MqttConnectionOptions, isMqttError } from '../src/index.js';
import { type AedesHandle, startAedes } from './fixtures/aedes-broker.js';
import { collect, text, waitForStatus } from './fixtures/helpers.js';

let broker: AedesHandle;
const open: MqttConnection[] = [];

beforeEach(async () => {
  broker = await startAedes();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await broker.close();
});

function connection(options: Partial<MqttConnectionOptions> = {}): MqttConnection {
  const c = createMqttConnection({ host: '127.0.0.1', port: broker.port, ...options });
  open.push(c);
  return c;
}

/** Resolves on the next SUBSCRIBE (or UNSUBSCRIBE) the broker receives, with its filters. */
function nextBrokerEvent(event: 'subscribe' | 'unsubscribe'): Promise<string[]> {
  return new Promise((resolve) =>
    broker.broker.once(event, (subs: Array<{ topic: string } | string>) =>
      resolve(subs.map((s) => (typeof s === 'string' ? s : s.topic))),
    ),
  );
}

const msg = (topic: string, payload: unknown, qos: 0 | 1 | 2 = 1) => ({ topic, payload, qos, timestamp: Date.now() });

describe('source and sink over plain TCP (aedes)', () => {
  it('delivers messages with named-wildcard captures; subscribers of one plain filter share one MQTT subscription', async () => {
    const c = connection();
    await c.connect();
    const subscribed = nextBrokerEvent('subscribe');
    const named = collect(c.subscribe('plant/+machine/#rest', { qos: 1 }));
    const plain = collect(c.subscribe('plant/+/#', { qos: 1 }));
    expect(await subscribed).toEqual(['plant/+/#']);

    await c.publish(msg('plant/press-7/temp/inner', Buffer.from('21.5')));
    const [message] = await named.until(1);
    expect(message).toMatchObject({ topic: 'plant/press-7/temp/inner', qos: 1, retain: false, vars: { machine: 'press-7', rest: 'temp/inner' } });
    expect(text(message)).toBe('21.5');
    expect((await plain.until(1))[0]?.vars).toBeUndefined();

    named.unsubscribe();
    const unsubscribed = nextBrokerEvent('unsubscribe');
    plain.unsubscribe();
    expect(await unsubscribed).toEqual(['plant/+/#']);
  });

  it('works with RxJS from() and hands payloads on as bytes, text or JSON', async () => {
    const c = connection();
    await c.connect();
    const subscribed = nextBrokerEvent('subscribe');
    const json = lastValueFrom(from(c.subscribe('fmt/#', { payload: 'json' })).pipe(take(3), toArray()));
    const textual = collect(c.subscribe('fmt/#', { payload: 'text' }));
    await subscribed;
    await c.publish(msg('fmt/a', { value: 42 }));
    await c.publish(msg('fmt/b', 'not json'));
    await c.publish(msg('fmt/c', new Uint8Array([0xff, 0x00])));
    const payloads = (await json).map((m) => m.payload);
    expect(payloads[0]).toEqual({ value: 42 });
    expect(Buffer.from(payloads[1] as Uint8Array).toString()).toBe('not json');
    expect([...(payloads[2] as Uint8Array)]).toEqual([0xff, 0x00]);
    expect((await textual.until(2)).slice(0, 2).map((m) => m.payload)).toEqual(['{"value":42}', 'not json']);
  });

  it('resolves a QoS 1 publish only after the PUBACK', async () => {
    const held: Array<() => void> = [];
    const reached = new Promise<void>((resolve) => {
      broker.broker.authorizePublish = (_client, _packet, callback) => {
        held.push(() => callback(null));
        resolve();
      };
    });
    const c = connection();
    await c.connect();
    let acknowledged = false;
    const publishing = c.publish(msg('ack/test', 'x')).then(() => (acknowledged = true));
    await reached;
    // The broker holds the message before answering: no PUBACK yet, so the publish must still wait.
    await new Promise((r) => setImmediate(r));
    expect(acknowledged).toBe(false);
    held[0]!();
    await publishing;
    expect(acknowledged).toBe(true);
    expect(c.liveness().sent).toBe(1);
  });

  it('completes QoS 1 and QoS 2 publishes in any mix, each delivered once', async () => {
    const c = connection();
    await c.connect();
    const observer = await connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    const seen: string[] = [];
    observer.on('message', (_topic, payload) => seen.push(payload.toString()));
    await observer.subscribeAsync('mix/#', { qos: 2 });
    const sent = Array.from({ length: 40 }, (_, i) => `m${i}`);
    await Promise.all(sent.map((text, i) => c.publish(msg(`mix/${i % 3}`, text, i % 2 ? 2 : 1))));
    await vi.waitFor(() => expect(seen).toHaveLength(sent.length));
    expect([...seen].sort()).toStrictEqual([...sent].sort());
    expect(c.liveness().sent).toBe(40);
    await observer.endAsync();
  });

  it('refuses publishes while offline with a retryable error and queues nothing', async () => {
    const seen: string[] = [];
    broker.broker.on('publish', (packet, client) => client && seen.push(packet.topic));
    const c = connection({ connectionStrategy: { initialDelay: 20, maxDelay: 40 } });
    const before = await c.publish(msg('offline/before', 'x')).catch((e: unknown) => e);
    expect(isMqttError(before, 'MQTT_NOT_CONNECTED') && before.retryable).toBe(true);

    await c.connect();
    await broker.stop();
    await waitForStatus(c, 'reconnecting');
    const during = await c.publish(msg('offline/during', 'x')).catch((e: unknown) => e);
    expect(isIiotError(during, 'MQTT_NOT_CONNECTED')).toBe(true);
    expect((during as Error).message).toContain('Nothing was queued');

    await broker.start();
    await waitForStatus(c, 'connected');
    await c.publish(msg('offline/after', 'x'));
    expect(seen).toEqual(['offline/after']);
  });

  it('rejects a publish in flight when the connection drops, with a retryable MQTT_CONNECTION_LOST', async () => {
    const reached = new Promise<void>((resolve) => {
      broker.broker.authorizePublish = () => resolve();
    });
    const c = connection();
    await c.connect();
    const publishing = c.publish(msg('lost/test', 'x')).catch((e: unknown) => e);
    await reached;
    await broker.stop();
    const error = await publishing;
    expect(isMqttError(error, 'MQTT_CONNECTION_LOST') && error.retryable).toBe(true);
  });

  it('lets disconnect() wait for publishes in flight, then gives up the rest with MQTT_CLOSED', async () => {
    const held: Array<() => void> = [];
    let reached: () => void = () => undefined;
    broker.broker.authorizePublish = (_client, _packet, callback) => {
      held.push(() => callback(null));
      reached();
    };
    // Timers 100 times faster, so the 2 s allowance for acknowledgements passes quickly.
    const clock = { now: Date.now, setTimeout: (f: () => void, ms: number) => setTimeout(f, ms / 100), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
    const c = connection({ clock });
    await c.connect();
    const answered = c.publish(msg('drain/1', 'x'));
    await new Promise<void>((resolve) => (reached = resolve));
    const disconnecting = c.disconnect();
    held[0]!();
    await answered;
    await disconnecting;

    await c.connect();
    const unanswered = c.publish(msg('drain/2', 'x')).catch((e: unknown) => e);
    await new Promise<void>((resolve) => (reached = resolve));
    await c.disconnect();
    expect(await unanswered).toMatchObject({ code: 'MQTT_CLOSED', retryable: true });
    expect(c.status().state).toBe('disconnected');
  });

  it('re-subscribes after a reconnect without a session', async () => {
    const c = connection({ connectionStrategy: { initialDelay: 20 } });
    await c.connect();
    const received = collect(c.subscribe('resub/#', { qos: 1 }));
    await nextBrokerEvent('subscribe');
    await broker.stop();
    await waitForStatus(c, 'reconnecting');
    const again = nextBrokerEvent('subscribe');
    await broker.start();
    expect((await waitForStatus(c, 'connected')).sessionPresent).toBe(false);
    expect(await again).toEqual(['resub/#']);
    await c.publish(msg('resub/1', 'after'));
    expect(text((await received.until(1))[0])).toBe('after');
  });

  it('does not re-subscribe when the broker resumed the session', async () => {
    let subscribes = 0;
    broker.broker.on('subscribe', () => subscribes++);
    const c = connection({ clientId: 'persistent-1', clean: false, connectionStrategy: { initialDelay: 20 } });
    await c.connect();
    const received = collect(c.subscribe('session/#', { qos: 1 }));
    await nextBrokerEvent('subscribe');
    await broker.stop();
    await waitForStatus(c, 'reconnecting');
    await broker.start();
    expect((await waitForStatus(c, 'connected')).sessionPresent).toBe(true);
    await c.publish(msg('session/1', 'kept'));
    expect(text((await received.until(1))[0])).toBe('kept');
    expect(subscribes).toBe(1);
  });

  it('errors the subscribers of a filter the broker refuses, and keeps the others', async () => {
    broker.broker.authorizeSubscribe = (_client, sub, callback) =>
      callback(null, sub.topic.startsWith('forbidden') ? null : sub);
    const c = connection();
    // Made before connecting: both go out in one SUBSCRIBE, which the broker answers in part with a failure.
    const refused = collect(c.subscribe('forbidden/+id'));
    const allowed = collect(c.subscribe('allowed/#'));
    await c.connect();
    await refused.until(1);
    expect(isMqttError(refused.error, 'MQTT_SUBSCRIBE_REFUSED')).toBe(true);
    expect((refused.error as Error).message).toContain('forbidden/+');
    await c.publish(msg('allowed/x', 'ok'));
    expect(text((await allowed.until(1))[0])).toBe('ok');
  });

  it('publishes the will when the connection vanishes, not on disconnect()', async () => {
    const observer = await connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    const wills: string[] = [];
    observer.on('message', (_topic, payload) => wills.push(payload.toString()));
    await observer.subscribeAsync('will/#', { qos: 1 });
    const c = connection({ clientId: 'with-will', will: { topic: 'will/gw', payload: 'gone', qos: 1 } });
    await c.connect();
    const arrived = new Promise((resolve) => observer.once('message', resolve));
    // The socket dies without a DISCONNECT, as when a gateway loses power.
    (broker.broker as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients['with-will']!.conn.destroy();
    await arrived;
    expect(wills).toEqual(['gone']);

    await waitForStatus(c, 'connected');
    await c.disconnect();
    const marker = new Promise((resolve) => observer.once('message', resolve));
    await observer.publishAsync('will/marker', 'marker', { qos: 1 });
    await marker;
    expect(wills).toEqual(['gone', 'marker']);
    await observer.endAsync();
  });

  it('reports liveness and completes everything on close()', async () => {
    let now = 1_000_000;
    const c = connection({ clock: { now: () => now, setTimeout, clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) } });
    expect(c.liveness()).toMatchObject({ received: 0, sent: 0, receivedAgeMs: undefined });
    await c.connect();
    const received = collect(c.subscribe('live/#'));
    await nextBrokerEvent('subscribe');
    await c.publish(msg('live/1', 'x'));
    await received.until(1);
    now += 1500;
    expect(c.liveness()).toMatchObject({ received: 1, sent: 1, receivedAgeMs: 1500, sentAgeMs: 1500 });

    const statuses = collect(c.status$ as never);
    await c.close();
    expect(received.completed).toBe(true);
    expect(statuses.completed).toBe(true);
    const after = await c.publish(msg('live/2', 'x')).catch((e: unknown) => e);
    expect(isMqttError(after, 'MQTT_CLOSED') && !after.retryable).toBe(true);
    await expect(c.connect()).rejects.toMatchObject({ code: 'MQTT_CLOSED' });
  });
});

describe('connection failures (aedes)', () => {
  it('stops on refused credentials with MQTT_AUTH_REFUSED and keeps the password out of logs and errors', async () => {
    broker.broker.authenticate = (_client, _user, _password, callback) =>
      callback(Object.assign(new Error('bad'), { returnCode: 4 }), false);
    const lines: string[] = [];
    const log = (message: string, details?: Record<string, unknown>) => lines.push(message + JSON.stringify(details));
    const c = connection({ username: 'gw', password: 'pa55-word-xyz', logger: { info: log, warn: log, error: log } });
    const error = await c.connect().catch((e: unknown) => e);
    expect(isMqttError(error, 'MQTT_AUTH_REFUSED')).toBe(true);
    expect(c.status()).toMatchObject({ state: 'disconnected', lastError: { code: 'MQTT_AUTH_REFUSED' } });
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify([lines, error, (error as Error).message])).not.toContain('pa55-word-xyz');
  });

  it('stops with MQTT_CONFIG_INVALID when the private key is not usable PEM', async () => {
    const key = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n';
    const c = connection({ scheme: 'mqtts', mutualAuthentication: true, clientCert: 'not a certificate', clientPrivateKey: key });
    const error = await c.connect().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MQTT_CONFIG_INVALID', retryable: false });
    expect(String(error) + JSON.stringify(c.status())).not.toContain('bm90IGEga2V5');
  });

  it('keeps retrying an unreachable broker with MQTT_HOST_UNREACHABLE until connected', async () => {
    await broker.stop();
    const c = connection({ connectionStrategy: { initialDelay: 20, maxDelay: 40 } });
    const connecting = c.connect();
    const status = await waitForStatus(c, (s) => s.failedAttempts >= 2);
    expect(status).toMatchObject({ state: 'reconnecting', lastError: { code: 'MQTT_HOST_UNREACHABLE', retryable: true } });
    await broker.start();
    await connecting;
    expect(c.status().state).toBe('connected');
  });
});

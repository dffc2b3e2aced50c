import { type Message, type Observer, parseTopicFilter, type QoS } from '@iiot/core';
import { describe, expect, it } from 'vitest';
import { type Route, type SubscribeTransport, SubscriptionTable } from '../src/_internal/subscription-table.js';

/** Records what the table asks of the broker; SUBACKs are answered by the test. */
function fakeTransport() {
  const calls: Array<{ subscribe?: Record<string, { qos: QoS }>; unsubscribe?: string[] }> = [];
  const answers: Array<(error: Error | null) => void> = [];
  const transport: SubscribeTransport = {
    subscribe: (filters, done) => {
      calls.push({ subscribe: filters });
      answers.push(done);
    },
    unsubscribe: (filters) => calls.push({ unsubscribe: filters }),
  };
  return { transport, calls, answers };
}

function route(filter: string, qos: QoS = 0): Route & { got: Message[]; errors: unknown[] } {
  const got: Message[] = [];
  const errors: unknown[] = [];
  const observer: Observer<Message> = { next: (m) => got.push(m), error: (e) => errors.push(e), complete: () => undefined };
  return { filter: parseTopicFilter(filter), qos, format: 'bytes', observer, got, errors };
}

const table = () => new SubscriptionTable({ refusal: (f, r) => `refused ${f}: ${r}`, subscriberFailed: () => undefined });
const bytes = Buffer.from('x');

describe('SubscriptionTable', () => {
  it('asks the broker once per plain filter, again only for a higher QoS, and unsubscribes with the last subscriber', () => {
    const t = table();
    const { transport, calls } = fakeTransport();
    t.attach(transport, false);
    const a = route('plant/+machine/#rest');
    const b = route('plant/+/#', 1);
    t.add(a);
    t.add(b);
    t.add(route('plant/+m/#r', 0));
    expect(calls).toEqual([{ subscribe: { 'plant/+/#': { qos: 0 } } }, { subscribe: { 'plant/+/#': { qos: 1 } } }]);
    t.remove(a);
    expect(calls).toHaveLength(2);
  });

  it('gives every message its own vars, and sees subscribers added after the topic was seen', () => {
    const t = table();
    const first = route('plant/+machine/#rest');
    t.add(first);
    t.dispatch('plant/m1/temp', bytes, 0, false, 1);
    first.got[0]!.vars!.machine = 'changed';
    const second = route('plant/m1/temp');
    t.add(second);
    t.dispatch('plant/m1/temp', bytes, 0, false, 2);
    expect(first.got[1]?.vars).toEqual({ machine: 'm1', rest: 'temp' });
    expect(second.got).toHaveLength(1);
    expect(second.got[0]?.vars).toBeUndefined();
    t.remove(first);
    t.dispatch('plant/m1/temp', bytes, 0, false, 3);
    expect(first.got).toHaveLength(2);
  });

  it('re-subscribes everything without a session, and with one only drops what was unsubscribed offline', () => {
    const t = table();
    const kept = route('a/#');
    const dropped = route('b/#');
    t.add(kept);
    t.add(dropped);
    const first = fakeTransport();
    t.attach(first.transport, false);
    first.answers[0]!(null);
    t.detach();
    t.remove(dropped);

    const resumed = fakeTransport();
    t.attach(resumed.transport, true);
    expect(resumed.calls).toEqual([{ unsubscribe: ['b/#'] }]);
    t.detach();
    const fresh = fakeTransport();
    t.attach(fresh.transport, false);
    expect(fresh.calls).toEqual([{ subscribe: { 'a/#': { qos: 0 } } }]);
  });

  it('finds which filters of a refused batch the broker refuses, and errors only their subscribers', () => {
    const t = table();
    const good = route('good/#');
    const bad = route('bad/#');
    t.add(good);
    t.add(bad);
    const { transport, calls, answers } = fakeTransport();
    t.attach(transport, false);
    const refusal = Object.assign(new Error('Subscribe error: Unspecified error'), { code: 128 });
    answers[0]!(refusal);
    expect(calls.slice(1)).toEqual([{ subscribe: { 'good/#': { qos: 0 } } }, { subscribe: { 'bad/#': { qos: 0 } } }]);
    answers[1]!(null);
    answers[2]!(refusal);
    expect(good.errors).toEqual([]);
    expect(bad.errors).toMatchObject([{ code: 'MQTT_SUBSCRIBE_REFUSED', message: expect.stringContaining('refused bad/#') }]);
  });
});

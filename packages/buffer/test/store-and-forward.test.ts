import { IiotError, type Message, type MessageSink } from '@iiot/core';
import { lastValueFrom, Subject, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BufferStore, createMemoryBuffer, storeAndForward } from '../src/index.js';

const message = (n: number): Message => ({ topic: 'cell/1', payload: { n }, timestamp: Date.now() });
const numbers = (messages: Message[]) => messages.map((m) => (m.payload as { n: number }).n);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** A sink that can be switched off (rejecting as a disconnected connector does) and records what it got. */
function createSwitchableSink() {
  const sink = {
    up: true,
    received: [] as Message[],
    attempts: 0,
    publish(m: Message): Promise<void> {
      sink.attempts++;
      if (!sink.up) return Promise.reject(new IiotError('SINK_DOWN', 'sink is down', { retryable: true }));
      sink.received.push(m);
      return Promise.resolve();
    },
  };
  return sink;
}

/** Messages in the order they first arrived: re-sends after a failure are allowed, reordering is not. */
function firstArrivals(messages: Message[]): number[] {
  const seen = new Set<number>();
  return numbers(messages).filter((n) => !seen.has(n) && seen.add(n));
}

describe('storeAndForward', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets messages through while the sink is up and acknowledges each in the buffer', async () => {
    const buffer = createMemoryBuffer();
    const sink = createSwitchableSink();
    const forward = storeAndForward(buffer, sink);
    const source = new Subject<Message>();
    const out = lastValueFrom(source.pipe(forward, toArray()));
    for (const n of range(0, 10)) source.next(message(n));
    source.complete();
    expect(numbers(await out)).toStrictEqual(range(0, 10));
    expect(numbers(sink.received)).toStrictEqual(range(0, 10));
    expect(buffer.stats().messages).toBe(0);
    expect(forward.counters).toStrictEqual({ stored: 10, delivered: 10, refused: 0, spooled: 0, drained: 0, dropped: 0, expired: 0 });
  });

  it('keeps a message in the buffer until the sink confirms it', async () => {
    const buffer = createMemoryBuffer();
    let confirm: () => void = () => {};
    const sink: MessageSink = { publish: () => new Promise<void>((resolve) => (confirm = resolve)) };
    const source = new Subject<Message>();
    const emitted: Message[] = [];
    source.pipe(storeAndForward(buffer, sink)).subscribe((m) => emitted.push(m));
    source.next(message(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(buffer.stats().messages).toBe(1);
    expect(emitted).toStrictEqual([]);
    confirm();
    await vi.advanceTimersByTimeAsync(0);
    expect(buffer.stats().messages).toBe(0);
    expect(numbers(emitted)).toStrictEqual([1]);
  });

  it('refills a busy window in batches and acknowledges confirmations in groups, the last one always', async () => {
    const buffer = createMemoryBuffer();
    const reads: number[] = [];
    const acks: number[] = [];
    const counted: BufferStore = {
      append: (m) => buffer.append(m),
      read: async (limit, after) => {
        const records = await buffer.read(limit, after);
        reads.push(records.length);
        return records;
      },
      ack: (seq) => {
        acks.push(seq);
        return buffer.ack(seq);
      },
      stats: () => buffer.stats(),
      close: () => buffer.close(),
    };
    const pending: (() => void)[] = [];
    const sink: MessageSink = { publish: () => new Promise<void>((resolve) => pending.push(resolve)) };
    const source = new Subject<Message>();
    const emitted: Message[] = [];
    source.pipe(storeAndForward(counted, sink, { maxInFlight: 100 })).subscribe((m) => emitted.push(m));
    for (const n of range(0, 1000)) source.next(message(n));
    await vi.advanceTimersByTimeAsync(0);
    // Confirm one at a time, as PUBACKs arrive: the window refills only when half of it is free.
    while (pending.length > 0) {
      pending.shift()!();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(numbers(emitted)).toStrictEqual(range(0, 1000));
    expect(reads.every((n) => n >= 50)).toBe(true);
    expect(acks.length).toBeLessThan(1000 / 32);
    expect(acks.at(-1)).toBe(1000);
    expect(buffer.stats().messages).toBe(0);
  });

  it('spools while the sink is down and drains the backlog in order, before newer messages', async () => {
    const buffer = createMemoryBuffer();
    const sink = createSwitchableSink();
    const forward = storeAndForward(buffer, sink, { retryDelayMs: 500, maxInFlight: 8 });
    const source = new Subject<Message>();
    const out = lastValueFrom(source.pipe(forward, toArray()));
    for (const n of range(0, 5)) source.next(message(n));
    await vi.advanceTimersByTimeAsync(0);
    sink.up = false;
    source.next(message(5));
    await vi.advanceTimersByTimeAsync(0);
    for (const n of range(6, 105)) source.next(message(n));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(forward.counters.spooled).toBe(99);
    expect(buffer.stats().messages).toBe(100);
    const attemptsWhileDown = sink.attempts;
    expect(attemptsWhileDown).toBeLessThan(20);
    sink.up = true;
    await vi.advanceTimersByTimeAsync(500);
    for (const n of range(105, 110)) source.next(message(n));
    source.complete();
    await vi.advanceTimersByTimeAsync(0);
    expect(numbers(await out)).toStrictEqual(range(0, 110));
    expect(firstArrivals(sink.received)).toStrictEqual(range(0, 110));
    expect(forward.counters).toMatchObject({ stored: 110, delivered: 110, spooled: 99, drained: 100 });
    expect(buffer.stats().messages).toBe(0);
  });

  it('drains a backlog at the configured rate while new messages queue behind it', async () => {
    const buffer = createMemoryBuffer();
    for (const n of range(0, 100)) await buffer.append(message(n));
    const sink = createSwitchableSink();
    const forward = storeAndForward(buffer, sink, { rate: 100 });
    const source = new Subject<Message>();
    source.pipe(forward).subscribe();
    source.next(message(100));
    await vi.advanceTimersByTimeAsync(500);
    // 100 per second: about 50 (plus the first burst of 10) after half a second.
    expect(sink.received.length).toBeGreaterThanOrEqual(50);
    expect(sink.received.length).toBeLessThanOrEqual(61);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(numbers(sink.received)).toStrictEqual(range(0, 101));
    expect(forward.counters).toMatchObject({ drained: 100, delivered: 101 });
  });

  it('fails on an error the sink says retrying cannot fix, keeping the message stored', async () => {
    const buffer = createMemoryBuffer();
    const refusal = new IiotError('PAYLOAD_TOO_LARGE', 'too large');
    const sink: MessageSink = { publish: () => Promise.reject(refusal) };
    const source = new Subject<Message>();
    const out = lastValueFrom(source.pipe(storeAndForward(buffer, sink)));
    source.next(message(1));
    await expect(out).rejects.toBe(refusal);
    expect(buffer.stats().messages).toBe(1);
  });

  it('with onRefused, skips a message refused for good, once, in order, and goes on with the rest', async () => {
    const buffer = createMemoryBuffer();
    const refusal = new IiotError('PAYLOAD_TOO_LARGE', 'too large');
    const sink = createSwitchableSink();
    const publish = sink.publish;
    // Message 3 is refused for good. Message 2 fails once as if the sink were down, so 2 and 3 are sent again.
    let threeSent = 0;
    let twoFailed = false;
    sink.publish = (m) => {
      const { n } = m.payload as { n: number };
      if (n === 3) {
        threeSent++;
        return Promise.reject(refusal);
      }
      if (n === 2 && !twoFailed) {
        twoFailed = true;
        return Promise.reject(new IiotError('SINK_DOWN', 'sink is down', { retryable: true }));
      }
      return publish(m);
    };
    const refused: [unknown, number][] = [];
    const forward = storeAndForward(buffer, sink, { retryDelayMs: 100, onRefused: (error, m) => refused.push([error, (m.payload as { n: number }).n]) });
    const source = new Subject<Message>();
    const out = lastValueFrom(source.pipe(forward, toArray()));
    for (const n of range(0, 8)) source.next(message(n));
    source.complete();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(numbers(await out)).toStrictEqual([0, 1, 2, 4, 5, 6, 7]);
    expect(threeSent).toBe(2);
    expect(refused).toStrictEqual([[refusal, 3]]);
    expect(forward.counters).toMatchObject({ stored: 8, delivered: 7, refused: 1 });
    expect(buffer.stats().messages).toBe(0);
  });

  it("reports the buffer's overflow drops and age expiry while the sink is down", async () => {
    const buffer = createMemoryBuffer({ maxMessages: 10, maxAgeMs: 60_000 });
    const sink = createSwitchableSink();
    sink.up = false;
    const forward = storeAndForward(buffer, sink, { retryDelayMs: 1_000 });
    const source = new Subject<Message>();
    source.pipe(forward).subscribe();
    for (const n of range(0, 15)) source.next(message(n));
    await vi.advanceTimersByTimeAsync(0);
    expect(forward.counters).toMatchObject({ dropped: 5, expired: 0 });
    await vi.advanceTimersByTimeAsync(61_000);
    expect(forward.counters).toMatchObject({ dropped: 5, expired: 10 });
    expect(sink.received).toStrictEqual([]);
  });

  it('refuses a second subscription while the first is active', () => {
    const forward = storeAndForward(createMemoryBuffer(), createSwitchableSink());
    const source = new Subject<Message>();
    const first = source.pipe(forward).subscribe();
    const errors: unknown[] = [];
    source.pipe(forward).subscribe({ error: (e) => errors.push(e) });
    expect(errors).toHaveLength(1);
    first.unsubscribe();
    expect(() => source.pipe(forward).subscribe()).not.toThrow();
  });
});

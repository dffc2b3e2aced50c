import { isDeepStrictEqual } from 'node:util';
import { isIiotError, type Message, type MessageSink, type MessageSource, observableKey } from '@iiot/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// A separate entry point (`@iiot/test-support/connector-contract`): it imports vitest, which only loads inside a test run.

/** One connector instance, connected, set up by the factory for one contract test. */
export interface ConnectorUnderTest {
  /** A source that sees what `sink` sends (for MQTT: a subscription to the topics of `message(i)`). */
  source: MessageSource;
  sink: MessageSink;
  /** The i-th message to send; every one must arrive on `source`. */
  message(i: number): Message;
  /** Whether `received` is `sent` arriving. @default same topic and deep-equal payload */
  matches?(received: Message, sent: Message): boolean;
  /** Cuts the connector off from its peer (a broker stopped, a server gone); resolves once it noticed. */
  goOffline(): Promise<void>;
  /** Restores the peer; resolves once the connector is connected again. */
  goOnline(): Promise<void>;
  /** Ends the connector for good; its sources complete. */
  close(): Promise<void>;
}

export interface ConnectorContractOptions {
  /** Creates a connected connector, with whatever server it needs, for one test. */
  create(): Promise<ConnectorUnderTest>;
  /** Milliseconds within which a message must arrive. @default 5000 */
  timeout?: number;
}

/**
 * The behaviour every source and sink promises, as a vitest suite any connector runs with its own factory:
 * interop with RxJS, delivery in order, shared and independent subscribers, fast refusal while offline with
 * nothing kept, completion on close.
 */
export function describeConnectorContract(name: string, options: ConnectorContractOptions): void {
  const timeout = options.timeout ?? 5000;

  describe(`${name}: source and sink contract`, () => {
    let connector: ConnectorUnderTest;
    let closed = false;
    beforeEach(async () => {
      connector = await options.create();
      closed = false;
    });
    afterEach(async () => {
      if (!closed) await connector.close();
    });

    const same = (received: Message, sent: Message) =>
      connector.matches?.(received, sent) ??
      (received.topic === sent.topic && isDeepStrictEqual(received.payload, sent.payload));

    /** Subscribes, then sends the probe `message(0)` until the subscription demonstrably receives. */
    const listen = async () => {
      const received: Message[] = [];
      const ended = { completed: false };
      const subscription = connector.source.subscribe({
        next: (m) => received.push(m),
        complete: () => (ended.completed = true),
      });
      const probe = connector.message(0);
      await until(async () => {
        await connector.sink.publish(probe);
        return received.some((m) => same(m, probe));
      }, timeout, 'the probe message never arrived on the source');
      received.length = 0;
      return { received, ended, unsubscribe: () => subscription.unsubscribe() };
    };
    const arrived = (received: Message[], sent: Message) =>
      until(async () => received.some((m) => same(m, sent)), timeout, `message on "${sent.topic}" did not arrive`);

    it('offers the source to RxJS from() through Symbol.observable', () => {
      const interop = (connector.source as unknown as Record<PropertyKey, () => unknown>)[observableKey];
      expect(typeof interop).toBe('function');
      expect(typeof (interop!.call(connector.source) as MessageSource).subscribe).toBe('function');
    });

    it('delivers what the sink sends, in order, with topic, payload and a timestamp', async () => {
      const { received } = await listen();
      const before = Date.now();
      const sent = [1, 2, 3, 4, 5].map((i) => connector.message(i));
      for (const message of sent) await connector.sink.publish(message);
      await arrived(received, sent[4]!);
      const ours = received.filter((m) => sent.some((s) => same(m, s)));
      expect(ours.map((m) => sent.findIndex((s) => same(m, s)))).toEqual([0, 1, 2, 3, 4]);
      for (const m of ours) expect(m.timestamp).toBeGreaterThanOrEqual(before - 1000);
    });

    it('gives every subscriber each message; one that unsubscribes gets no more', async () => {
      const a = await listen();
      const b = await listen();
      const first = connector.message(1);
      await connector.sink.publish(first);
      await Promise.all([arrived(a.received, first), arrived(b.received, first)]);
      a.unsubscribe();
      const second = connector.message(2);
      await connector.sink.publish(second);
      await arrived(b.received, second);
      expect(a.received.some((m) => same(m, second))).toBe(false);
    });

    it('refuses to send while offline, at once and retryably, and keeps nothing for later', async () => {
      const { received } = await listen();
      await connector.goOffline();
      const refused = connector.message(6);
      const startedAt = Date.now();
      const error = await connector.sink.publish(refused).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isIiotError(error) && error.retryable).toBe(true);
      expect(Date.now() - startedAt).toBeLessThan(1000);
      await connector.goOnline();
      const { received: after } = await listen();
      const next = connector.message(7);
      await connector.sink.publish(next);
      await arrived(after, next);
      expect([...received, ...after].some((m) => same(m, refused))).toBe(false);
    });

    it('completes its subscribers on close()', async () => {
      const { ended } = await listen();
      await connector.close();
      closed = true;
      expect(ended.completed).toBe(true);
    });
  });
}

async function until(check: () => Promise<boolean>, timeout: number, what: string): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms: ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

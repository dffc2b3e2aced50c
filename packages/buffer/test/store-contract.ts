import type { Message } from '@iiot/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { isIiotError } from '@iiot/core';
import type { BufferLimits, BufferStore } from '../src/index.js';

/** Opens a fresh, empty store with the given limits; the suite closes it. */
export type OpenStore = (limits: BufferLimits) => Promise<BufferStore>;

const message = (n: number, timestamp = 1_000): Message => ({ topic: `line/${n}`, payload: { n }, timestamp });

/** The behaviour every `BufferStore` must have; each implementation's test file runs it. */
export function storeContract(name: string, openStore: OpenStore): void {
  describe(`${name} (BufferStore contract)`, () => {
    const opened: BufferStore[] = [];
    const open = async (limits: BufferLimits = {}) => {
      const store = await openStore(limits);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('round-trips binary, JSON and undefined payloads with every message field', async () => {
      const store = await open();
      const messages: Message[] = [
        { topic: 'a/b', payload: new Uint8Array([0, 255, 7]), timestamp: 1.5, qos: 1, retain: true },
        { topic: 'ü/ß', payload: { nested: [1, 'x', null, true] }, timestamp: 2, vars: { line: '4' } },
        { topic: 'c', payload: 'text', timestamp: 3, qos: 0, retain: false },
        { topic: 'd', payload: undefined, timestamp: 4 },
        { topic: '', payload: new Uint8Array(0), timestamp: 5, qos: 2 },
      ];
      for (const m of messages) await store.append(m);
      const records = await store.read(10);
      expect(records.map((r) => r.message)).toStrictEqual(messages);
      expect(records[0]!.message.payload).toBeInstanceOf(Uint8Array);
    });

    it('stores other binary views as their bytes, read back as a Uint8Array', async () => {
      const store = await open();
      await store.append({ topic: 'v', payload: new Uint16Array([0x0102, 0xfffe]), timestamp: 1 });
      await store.append({ topic: 'v', payload: Buffer.from('hi'), timestamp: 2 });
      const [words, text] = await store.read(2);
      expect(words!.message.payload).toStrictEqual(new Uint8Array(new Uint16Array([0x0102, 0xfffe]).buffer));
      expect(text!.message.payload).toStrictEqual(new Uint8Array([0x68, 0x69]));
    });

    it('keeps FIFO order, numbers records increasingly and pages with `after`', async () => {
      const store = await open();
      const seqs = await Promise.all(Array.from({ length: 25 }, (_, i) => store.append(message(i))));
      expect(seqs).toStrictEqual([...seqs].sort((a, b) => a! - b!));
      expect(new Set(seqs).size).toBe(25);
      const first = await store.read(10);
      const second = await store.read(10, first.at(-1)!.seq);
      const third = await store.read(10, second.at(-1)!.seq);
      expect([...first, ...second, ...third].map((r) => r.message.topic)).toStrictEqual(
        Array.from({ length: 25 }, (_, i) => `line/${i}`),
      );
      expect(await store.read(10, third.at(-1)!.seq)).toStrictEqual([]);
    });

    it('acknowledges cumulatively: acknowledged records are never read again and leave the size', async () => {
      const store = await open();
      for (let i = 0; i < 10; i++) await store.append(message(i));
      const full = store.stats();
      const records = await store.read(10);
      await store.ack(records[3]!.seq);
      expect((await store.read(10)).map((r) => r.message.topic)).toStrictEqual(
        records.slice(4).map((r) => r.message.topic),
      );
      expect(store.stats().messages).toBe(6);
      expect(store.stats().bytes).toBeLessThan(full.bytes);
      await store.ack(records[1]!.seq);
      expect(store.stats().messages).toBe(6);
      await store.ack(records[9]!.seq + 100);
      expect(store.stats()).toMatchObject({ messages: 0, bytes: 0, oldestAgeMs: undefined });
      expect(await store.append(message(11))).toBeGreaterThan(records[9]!.seq);
    });

    it('reports the age of the oldest message on its clock', async () => {
      let now = 10_000;
      const store = await open({ now: () => now });
      expect(store.stats().oldestAgeMs).toBeUndefined();
      await store.append(message(1, 9_000));
      await store.append(message(2, 9_500));
      now = 12_000;
      expect(store.stats().oldestAgeMs).toBe(3_000);
    });

    it('expires messages older than maxAgeMs, counts them and never reads them', async () => {
      let now = 0;
      const store = await open({ maxAgeMs: 1_000, now: () => now });
      await store.append(message(1, 0));
      await store.append(message(2, 500));
      await store.append(message(3, 900));
      now = 1_600;
      const records = await store.read(10);
      expect(records.map((r) => r.message.topic)).toStrictEqual(['line/3']);
      expect(store.stats()).toMatchObject({ messages: 1, expired: 2 });
      now = 5_000;
      expect(store.stats()).toMatchObject({ messages: 0, expired: 3, oldestAgeMs: undefined });
    });

    it("drop-oldest makes room by discarding the oldest messages", async () => {
      const store = await open({ maxMessages: 3, onOverflow: 'drop-oldest' });
      for (let i = 0; i < 5; i++) expect(await store.append(message(i))).toBeTypeOf('number');
      expect((await store.read(10)).map((r) => r.message.topic)).toStrictEqual(['line/2', 'line/3', 'line/4']);
      expect(store.stats()).toMatchObject({ messages: 3, dropped: 2 });
    });

    it('drop-newest keeps what is stored and discards the new message', async () => {
      const bytesOfOne = await (async () => {
        const probe = await open();
        await probe.append(message(0));
        return probe.stats().bytes;
      })();
      const store = await open({ maxBytes: bytesOfOne * 2, onOverflow: 'drop-newest' });
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await store.append(message(i)));
      expect(results.map((r) => r !== undefined)).toStrictEqual([true, true, false, false]);
      expect((await store.read(10)).map((r) => r.message.topic)).toStrictEqual(['line/0', 'line/1']);
      expect(store.stats()).toMatchObject({ messages: 2, bytes: bytesOfOne * 2, dropped: 2 });
    });

    it('block makes appends wait for room, in order, and close rejects those still waiting', async () => {
      const store = await open({ maxMessages: 2, onOverflow: 'block' });
      await store.append(message(0));
      await store.append(message(1));
      const settled: string[] = [];
      const third = store.append(message(2)).then((seq) => settled.push(`2:${seq}`));
      const fourth = store.append(message(3)).then((seq) => settled.push(`3:${seq}`));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toStrictEqual([]);
      const [first] = await store.read(1);
      await store.ack(first!.seq);
      await third;
      expect(settled).toHaveLength(1);
      expect((await store.read(10)).map((r) => r.message.topic)).toStrictEqual(['line/1', 'line/2']);
      const late = expect(store.append(message(4))).rejects.toMatchObject({ code: 'BUFFER_CLOSED' });
      const waiting = expect(fourth).rejects.toMatchObject({ code: 'BUFFER_CLOSED' });
      await store.close();
      await Promise.all([late, waiting]);
      expect(() => store.stats()).toThrow(expect.objectContaining({ code: 'BUFFER_CLOSED' }));
    });

    it('rejects a message larger than maxBytes and one whose payload is neither binary nor JSON', async () => {
      const store = await open({ maxBytes: 64 });
      const big = store.append({ topic: 't', payload: new Uint8Array(100), timestamp: 0 });
      await expect(big).rejects.toMatchObject({ code: 'BUFFER_RECORD_TOO_LARGE' });
      const odd = store.append({ topic: 't', payload: 10n, timestamp: 0 });
      await expect(odd).rejects.toSatisfy((error) => isIiotError(error, 'BUFFER_PAYLOAD_UNSUPPORTED'));
      expect(store.stats().messages).toBe(0);
    });

    it('behaves like a FIFO queue for any sequence of appends, reads and acknowledgements', async () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('append' as const), n: fc.nat(1_000_000) }),
        fc.record({ kind: fc.constant('read' as const), limit: fc.integer({ min: 1, max: 8 }), skip: fc.nat(10) }),
        fc.record({ kind: fc.constant('ack' as const), upTo: fc.nat(10) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
          const store = await open({ maxMessages: 16 });
          let model: Array<{ seq: number; n: number }> = [];
          for (const o of ops) {
            if (o.kind === 'append') {
              // Binary and JSON payloads alike.
              const seq = (await store.append(o.n % 2 ? message(o.n) : { ...message(o.n), payload: Buffer.from(String(o.n)) }))!;
              model.push({ seq, n: o.n });
              if (model.length > 16) model.shift();
            } else if (o.kind === 'read') {
              // Reading on from a record (`after`), or from the head.
              const after = model[o.skip - 1]?.seq ?? 0;
              const got = await store.read(o.limit, after);
              const payload = (n: number) => (n % 2 ? { n } : new Uint8Array(Buffer.from(String(n))));
              expect(got.map((r) => [r.seq, r.message.topic, r.message.payload])).toStrictEqual(
                model.filter((m) => m.seq > after).slice(0, o.limit).map((m) => [m.seq, `line/${m.n}`, payload(m.n)]),
              );
            } else if (model.length > 0) {
              const target = model[Math.min(o.upTo, model.length - 1)]!.seq;
              await store.ack(target);
              model = model.filter((m) => m.seq > target);
            }
            expect(store.stats().messages).toBe(model.length);
          }
          await store.close();
        }),
        { numRuns: 60 },
      );
    });
  });
}

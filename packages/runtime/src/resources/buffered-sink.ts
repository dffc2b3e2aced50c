import { join } from 'node:path';
import type { Message, MessageSink } from '@iiot/core';
import { type BufferStore, createDiskBuffer, createMemoryBuffer, storeAndForward } from '@iiot/buffer';
import type { Logger } from 'pino';
import { Subject } from 'rxjs';
import { payloadBytes } from '../_internal/payload.js';
import type { BufferMetrics } from './types.js';

/** `buffering` of a `Cybus::Connection`, as the commissioning file sets it. */
export interface BufferingProperties {
  store?: 'memory' | 'disk';
  maxMessages?: number;
  maxBytes?: number;
  maxAge?: number;
  onOverflow?: 'drop-oldest' | 'drop-newest' | 'block';
}

/** A sink with a store-and-forward buffer in front of it. */
export interface BufferedSink {
  readonly sink: MessageSink;
  metrics(): BufferMetrics;
  /** Stops taking messages, waits up to `flushMs` for the backlog to drain, then closes the buffer. */
  close(flushMs: number): Promise<void>;
}

/**
 * Puts a durable buffer (by default on disk, in `dir/<connectionId>`) in front of a connection's sink: every
 * message is stored before it is sent and acknowledged in the buffer only once the target confirmed it, so
 * an outage or a crash loses nothing. A message the target refuses for good (too large for AWS IoT, say)
 * is logged, counted and skipped, so it cannot hold up the messages behind it.
 */
export async function createBufferedSink(
  target: MessageSink,
  options: { dir: string; connectionId: string; buffering?: BufferingProperties; log: Logger },
): Promise<BufferedSink> {
  const b = options.buffering ?? {};
  const limits = {
    maxMessages: b.maxMessages ?? 100_000,
    maxBytes: b.maxBytes ?? 100 * 1024 * 1024,
    ...(b.maxAge !== undefined && { maxAgeMs: b.maxAge }),
    onOverflow: b.onOverflow ?? 'drop-oldest',
  } as const;
  const buffer: BufferStore =
    b.store === 'memory' ? createMemoryBuffer(limits) : await createDiskBuffer({ dir: join(options.dir, options.connectionId), ...limits });
  const input = new Subject<Message>();
  const forward = storeAndForward(buffer, target, {
    maxInFlight: 1000,
    onRefused: (error, message) =>
      options.log.warn({ topic: message.topic, err: error }, 'the target refused a message for good; it was dropped from the buffer'),
  });
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const subscription = input.pipe(forward).subscribe({
    complete: () => resolveDone(),
    error: (error: unknown) => {
      options.log.error({ err: error }, 'the buffer stopped forwarding; messages stay stored for the next start');
      resolveDone();
    },
  });
  return {
    sink: {
      publish(message) {
        // Serialised once, here: the buffer stores bytes as they are and the connection sends them unchanged.
        // The sink needs no captured variables, so they are not stored.
        const { topic, payload, timestamp, qos, retain } = message;
        input.next({ topic, payload: payloadBytes(payload), timestamp, ...(qos !== undefined && { qos }), ...(retain !== undefined && { retain }) });
        return Promise.resolve();
      },
    },
    metrics() {
      const stats = buffer.stats();
      return { messages: stats.messages, bytes: stats.bytes, oldestAgeMs: stats.oldestAgeMs ?? 0, dropped: stats.dropped + stats.expired, rejected: forward.counters.refused };
    },
    async close(flushMs) {
      input.complete();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, flushMs)))]);
      clearTimeout(timer);
      subscription.unsubscribe();
      await buffer.close();
    },
  };
}

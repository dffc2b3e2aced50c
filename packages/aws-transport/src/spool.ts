import { type BufferStore, type StoreAndForwardOperator, type StoreAndForwardOptions, storeAndForward } from '@iiot/buffer';
import type { Message } from '@iiot/core';
import { filter, type Observable } from 'rxjs';
import type { AwsIotTransport } from './transport.js';

/** What `spoolToAws` returns: an RxJS operator with the store-and-forward counters. */
export type AwsSpoolOperator = StoreAndForwardOperator;

/**
 * Puts a durable `@iiot/buffer` store in front of an AWS IoT transport: every message AWS would accept is
 * stored, sent in order within the transport's throttle, and acknowledged in the store only once AWS
 * acknowledged it; while AWS is unreachable messages spool, and drain in order after the reconnection.
 * Messages AWS would refuse never enter the store: they go to the transport's dead-letter sink.
 * The operator emits each message once AWS confirmed it.
 */
export function spoolToAws(transport: AwsIotTransport, buffer: BufferStore, options: StoreAndForwardOptions = {}): AwsSpoolOperator {
  // Enough messages in flight to fill batches and every connection of a pool; the rest waits in the store.
  const forward = storeAndForward(buffer, transport, { maxInFlight: 10_000, ...options });
  const operator = (source: Observable<Message>) => source.pipe(filter((message) => transport.screen(message)), forward);
  return Object.defineProperty(operator, 'counters', { get: () => forward.counters }) as AwsSpoolOperator;
}

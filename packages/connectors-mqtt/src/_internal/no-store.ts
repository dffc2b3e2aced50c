import { Readable } from 'node:stream';
import type { IStore } from 'mqtt';

/**
 * An outgoing store that keeps nothing. MQTT.js stores a copy of every QoS 1 and 2 publish (payload included)
 * until its acknowledgement, to send it again when that same client reconnects. Here a client never
 * reconnects (each connection attempt makes a new one, with a new store), and a publish still unanswered when
 * the connection drops is rejected as retryable, for the caller (a buffer) to send again. So the copies were
 * never used, and holding them until the acknowledgement only cost memory and garbage collection.
 */
export const NO_STORE: IStore = {
  put(_packet, cb) {
    cb?.();
    return NO_STORE;
  },
  createStream: () => Readable.from([]) as unknown as ReturnType<IStore['createStream']>,
  del(packet, cb) {
    cb?.(undefined, packet as Parameters<Parameters<IStore['del']>[1]>[1]);
    return NO_STORE;
  },
  get(_packet, cb) {
    cb?.(new Error('missing packet'));
    return NO_STORE;
  },
  close(cb) {
    cb?.();
  },
};

import {
  type Connector,
  type ConnectorStatus,
  createSubscribable,
  type Message,
  type MessageSink,
  parseTopicFilter,
} from '@iiot/core';
import type { Aedes, AedesPublishPacket } from 'aedes';
import { payloadBytes } from '../_internal/payload.js';

const CONNECTED: ConnectorStatus = { state: 'connected' };

/** The embedded broker's sink: `publish`, and `send`, which reports through a callback instead of a promise. */
export interface LocalSink extends MessageSink {
  send(message: Message, done: (error?: Error) => void): void;
}

/** The embedded broker as a connector. */
export interface LocalConnector extends Connector {
  readonly sink: LocalSink;
}

/**
 * The embedded broker as a `Connector`: mappings and endpoints subscribe and publish in process, without a
 * socket. In-process subscriptions see every topic; client permissions apply to network clients only.
 */
export function createLocalConnector(aedes: Aedes): LocalConnector {
  const send = (message: Message, done: (error?: Error) => void) =>
    aedes.publish(
      { cmd: 'publish', topic: message.topic, payload: payloadBytes(message.payload), qos: message.qos ?? 0, retain: message.retain ?? false, dup: false },
      done,
    );
  const sink: LocalSink = {
    send,
    publish: (message: Message) => new Promise<void>((resolve, reject) => send(message, (error) => (error ? reject(error) : resolve()))),
  };
  return {
    status: createSubscribable<ConnectorStatus>((observer) => {
      observer.next(CONNECTED);
      return undefined;
    }),
    currentStatus: () => CONNECTED,
    source(subscription) {
      const filter = parseTopicFilter(subscription.topic ?? '#');
      return createSubscribable<Message>((observer) => {
        const deliver = (packet: AedesPublishPacket, done: () => void) => {
          const vars = filter.match(packet.topic);
          if (vars !== undefined) {
            observer.next({
              topic: packet.topic,
              payload: packet.payload as Uint8Array,
              timestamp: Date.now(),
              qos: packet.qos,
              retain: packet.retain,
              vars,
            });
          }
          done();
        };
        aedes.subscribe(filter.mqttFilter, deliver, () => {});
        return () => aedes.unsubscribe(filter.mqttFilter, deliver, () => {});
      });
    },
    sink,
    close: async () => {},
  };
}

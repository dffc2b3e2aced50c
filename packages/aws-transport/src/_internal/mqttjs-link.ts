import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { parseTopicFilter, topicMatches } from '@iiot/core';
import mqtt, { type IClientOptions } from 'mqtt';
import { AWS_IOT_LIMITS } from '../limits.js';
import type { LinkOptions, MqttLink } from './link.js';

/** An `MqttLink` on MQTT.js. */
export function createMqttJsLink(options: LinkOptions): MqttLink {
  const events = new EventEmitter();
  const clientOptions: IClientOptions = {
    protocol: 'mqtts',
    host: options.host,
    port: options.port,
    ca: options.ca,
    cert: options.cert,
    key: options.key,
    rejectUnauthorized: true,
    ...(isIP(options.host) ? {} : { servername: options.host }),
    ...(options.alpn ? { ALPNProtocols: ['x-amzn-mqtt-ca'] } : {}),
    clientId: options.clientId,
    keepalive: options.keepaliveSeconds,
    protocolVersion: options.protocolVersion,
    reconnectPeriod: options.reconnectPeriodMs,
    connectTimeout: options.connectTimeoutMs,
    subscribeBatchSize: AWS_IOT_LIMITS.subscribeBatchSize,
    clean: true,
    resubscribe: true,
  };
  const client = mqtt.connect(clientOptions);
  client.on('connect', () => events.emit('change', true));
  client.on('close', () => events.emit('change', false));
  client.on('error', (error) => events.emit('change', client.connected, error));
  client.on('message', (topic, payload) => events.emit('message', topic, payload));
  const connected = () =>
    client.connected ? Promise.resolve() : new Promise<void>((resolve) => client.once('connect', () => resolve()));
  return {
    get connected() {
      return client.connected;
    },
    publish: (topic, payload, { qos, retain }) =>
      new Promise((resolve, reject) => {
        client.publish(topic, payload, { qos, retain }, (error) => (error ? reject(error) : resolve()));
      }),
    // Subscriptions made while offline wait for the connection; MQTT.js renews them after reconnects.
    async subscribe(filter, qos, listener) {
      await connected();
      await new Promise<void>((resolve, reject) => {
        client.subscribe(filter, { qos }, (error, granted) => {
          if (error) reject(error);
          else if (granted?.some((g) => g.qos === 128)) reject(new Error(`the broker refused the subscription to ${filter}`));
          else resolve();
        });
      });
      const parsed = parseTopicFilter(filter);
      const route = (topic: string, payload: Buffer) => {
        if (topicMatches(parsed, topic)) listener(topic, payload);
      };
      events.on('message', route);
      return async () => {
        events.off('message', route);
        await client.unsubscribeAsync(filter);
      };
    },
    onMessage(listener) {
      events.on('message', listener);
      return () => events.off('message', listener);
    },
    onConnectionChange(listener) {
      events.on('change', listener);
      return () => events.off('change', listener);
    },
    close: () => new Promise<void>((resolve) => client.end(false, {}, () => resolve())),
  };
}

import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { createMqttConnection, type MqttConnectionOptions } from '@iiot/connectors-mqtt';
import type { Unsubscribable } from '@iiot/core';
import { AWS_IOT_LIMITS } from '../limits.js';
import type { LinkOptions, MessageListener, MqttLink, Pem } from './link.js';

const pemText = (pem: Pem): string => (Array.isArray(pem) ? pem.map(String).join('\n') : String(pem));

/** An `MqttLink` on `@iiot/connectors-mqtt`: its reconnect backoff, TLS handling and subscription table. */
export function createConnectionLink(options: LinkOptions): MqttLink {
  const events = new EventEmitter();
  const connectionOptions: MqttConnectionOptions = {
    host: options.host,
    port: options.port,
    scheme: 'mqtts',
    clientId: options.clientId,
    keepalive: options.keepaliveSeconds,
    protocolVersion: options.protocolVersion,
    clean: true,
    mutualAuthentication: true,
    caCert: pemText(options.ca),
    clientCert: pemText(options.cert),
    clientPrivateKey: pemText(options.key),
    // AWS allows one CONNECT per second per client id: the first retry waits at least that long.
    connectionStrategy: { initialDelay: Math.max(1000, options.reconnectPeriodMs), maxDelay: 30_000 },
    connectTimeout: options.connectTimeoutMs,
    mqttOptions: {
      subscribeBatchSize: AWS_IOT_LIMITS.subscribeBatchSize,
      ...(options.alpn ? { ALPNProtocols: ['x-amzn-mqtt-ca'] } : {}),
      ...(isIP(options.host) ? {} : { servername: options.host }),
    },
  };
  const connection = createMqttConnection(connectionOptions);
  let up = false;
  let failures = 0;
  connection.status$.subscribe({
    next: (status) => {
      const now = status.state === 'connected';
      // Each failed attempt is reported too, so a caller trying several endpoints can move on.
      const failed = !now && status.failedAttempts > failures;
      failures = status.failedAttempts;
      if (now === up && !failed) return;
      up = now;
      events.emit('change', now, status.lastError);
    },
  });
  // A refusal that retrying cannot fix (certificate, policy) is reported; the connection then stays down.
  connection.connect().catch((error: Error) => events.emit('change', false, error));

  return {
    get connected() {
      return connection.status().state === 'connected';
    },
    publish: (topic, payload, { qos, retain }) => connection.publish({ topic, payload, qos, retain, timestamp: Date.now() }),
    subscribe(filter, qos, listener: MessageListener) {
      return new Promise((resolve, reject) => {
        let subscription: Unsubscribable | undefined;
        subscription = connection.subscribe(filter, { qos, payload: 'bytes' }).subscribe({
          next: (message) => {
            const payload = message.payload as Uint8Array;
            events.emit('message', message.topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
            listener(message.topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
          },
          error: reject,
        });
        resolve(async () => subscription?.unsubscribe());
      });
    },
    onMessage(listener) {
      events.on('message', listener);
      return () => events.off('message', listener);
    },
    onConnectionChange(listener) {
      events.on('change', listener);
      return () => events.off('change', listener);
    },
    close: () => connection.close(),
  };
}

import type { Connector, ConnectorContext, ConnectorFactory, ConnectorStatus } from '@iiot/core';
import { createSubscribable } from '@iiot/core';
import { createMqttConnection, type MqttConnectionOptions } from '@iiot/connectors-mqtt';
import { createAwsIotConnector } from './aws-iot-connector.js';

/** How the built-in Mqtt connector decides which connections are AWS IoT endpoints. */
export interface MqttConnectorOptions {
  /**
   * Host names to treat as AWS IoT endpoints besides `*.iot.<region>.amazonaws.com` (a local AWS IoT
   * stand-in, a custom domain). A connection can also opt in with `awsIot: true` in code. @default []
   */
  awsIotHosts?: readonly string[];
}

const AWS_IOT_HOST = /^[a-z0-9-]+\.iot\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i;

const PASSED_THROUGH = [
  'host',
  'port',
  'scheme',
  'clientId',
  'username',
  'password',
  'keepalive',
  'clean',
  'protocolVersion',
  'will',
  'mutualAuthentication',
  'caCert',
  'clientCert',
  'clientPrivateKey',
  'trustAllCertificates',
  'connectionStrategy',
  'connectTimeout',
] as const;

/** Whether a host is an AWS IoT endpoint: `*.iot.<region>.amazonaws.com`, or one of the configured extra hosts. */
export function isAwsIotHost(host: string, extra: readonly string[] = []): boolean {
  return AWS_IOT_HOST.test(host) || extra.some((h) => h.toLowerCase() === host.toLowerCase());
}

/**
 * The `Mqtt` protocol: an `@iiot/connectors-mqtt` connection, or an `@iiot/aws-transport` one when the host
 * is an AWS IoT endpoint (AWS's limits checked, throttled to what AWS accepts).
 */
export function createMqttConnectorFactory(options: MqttConnectorOptions = {}): ConnectorFactory {
  return {
    protocol: 'Mqtt',
    create(properties, context) {
      const host = String(properties.host ?? '');
      if (properties.awsIot === true || isAwsIotHost(host, options.awsIotHosts)) {
        return createAwsIotConnector(properties, context);
      }
      return createPlainConnector(properties, context);
    },
  };
}

function createPlainConnector(properties: Record<string, unknown>, context: ConnectorContext): Connector {
  const options: Record<string, unknown> = {};
  for (const key of PASSED_THROUGH) if (properties[key] !== undefined) options[key] = properties[key];
  const log = context.log;
  const connection = createMqttConnection({
    ...(options as unknown as MqttConnectionOptions),
    ...(log && {
      logger: {
        debug: (m, d) => log('debug', m, d),
        info: (m, d) => log('info', m, d),
        warn: (m, d) => log('warn', m, d),
        error: (m, d) => log('error', m, d),
      },
    }),
  });
  // Connecting goes on in the background; a refusal shows in the status (and the service as deviated).
  connection.connect().catch(() => {});
  const toStatus = (s: ReturnType<typeof connection.status>): ConnectorStatus => ({
    state: s.state,
    ...(s.state !== 'connected' && s.lastError && { error: s.lastError }),
  });
  return {
    status: createSubscribable<ConnectorStatus>((observer) => {
      const sub = connection.status$.subscribe({ next: (s) => observer.next(toStatus(s)), complete: () => observer.complete() });
      return () => sub.unsubscribe();
    }),
    currentStatus: () => toStatus(connection.status()),
    source: (subscription) =>
      connection.subscribe(subscription.topic ?? '#', { ...(subscription.qos !== undefined && { qos: subscription.qos }) }),
    sink: connection,
    close: () => connection.close(),
  };
}

import {
  type Connector,
  type ConnectorContext,
  type ConnectorStatus,
  createSubscribable,
  type Message,
  type Observer,
  parseTopicFilter,
} from '@iiot/core';
import { createAwsIotTransport } from '@iiot/aws-transport';

const POLL_MS = 500;

/**
 * An Mqtt connection to AWS IoT through `@iiot/aws-transport`: AWS's limits are checked before sending
 * (refused messages are logged as dead letters), publishes are throttled to AWS's per-connection rates.
 */
export function createAwsIotConnector(properties: Record<string, unknown>, context: ConnectorContext): Connector {
  const text = (key: string) => (typeof properties[key] === 'string' ? (properties[key] as string) : undefined);
  const host = text('host') ?? '';
  const cert = text('clientCert');
  const key = text('clientPrivateKey');
  if (!cert || !key) {
    throw new Error(
      `Connection ${context.resourceId} to AWS IoT (${host}) needs clientCert and clientPrivateKey (PEM text) with mutualAuthentication: true.`,
    );
  }
  const ca = text('caCert');
  const transport = createAwsIotTransport({
    host,
    ...(typeof properties.port === 'number' && { port: properties.port }),
    clientId: text('clientId') ?? `${context.serviceId}-${context.resourceId}`,
    cert,
    key,
    ...(ca && { ca }),
    ...(typeof properties.keepalive === 'number' && { keepaliveSeconds: properties.keepalive }),
    deadLetter: (letter) =>
      context.log?.('warn', 'AWS IoT would refuse this message; it was not sent', { topic: letter.message.topic, code: letter.code, reason: letter.reason }),
  });
  let closed = false;
  const current = (): ConnectorStatus => {
    if (closed) return { state: 'disconnected' };
    return { state: transport.status().connections.every((c) => c.connected) ? 'connected' : 'connecting' };
  };
  return {
    // The transport reports state on request only; watchers see changes within half a second.
    status: createSubscribable<ConnectorStatus>((observer) => {
      let last = current();
      observer.next(last);
      const timer = setInterval(() => {
        const now = current();
        if (now.state !== last.state) observer.next((last = now));
      }, POLL_MS);
      return () => clearInterval(timer);
    }),
    currentStatus: current,
    source(subscription) {
      const filter = parseTopicFilter(subscription.topic ?? '#');
      return createSubscribable<Message>((observer: Observer<Message>) => {
        let off: (() => Promise<void>) | undefined;
        let done = false;
        transport
          .subscribe(filter.mqttFilter, (message) => {
            const vars = filter.match(message.topic);
            if (vars) observer.next({ ...message, vars });
          })
          .then(
            (unsubscribe) => {
              if (done) unsubscribe().catch(() => {});
              else off = unsubscribe;
            },
            (error) => observer.error(error),
          );
        return () => {
          done = true;
          off?.().catch(() => {});
        };
      });
    },
    sink: transport,
    async close() {
      // Whatever is unacknowledged stays in the sink buffer in front of this connection for the next start.
      closed = true;
      await transport.close();
    },
  };
}

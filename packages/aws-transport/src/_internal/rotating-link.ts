import { EventEmitter } from 'node:events';
import type { LinkFactory, LinkOptions, MessageListener, MqttLink, Pem } from './link.js';

/** One broker address with the roots that sign its certificate. */
export interface LinkEndpoint {
  host: string;
  port: number;
  ca: Pem;
}

export interface RotatingLinkOptions {
  base: LinkOptions;
  /** Finds the endpoints to try, in order (Greengrass discovery). */
  discover: () => Promise<LinkEndpoint[]>;
  /** Failed connection attempts in a row after which `discover` runs again. */
  failuresBeforeRediscovery: number;
  linkFactory: LinkFactory;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A link that tries a list of endpoints in order, reconnects itself, and asks for a fresh list after repeated
 * failures (a Greengrass core that moved, or rotated its certificate, is found again this way).
 */
export function createRotatingLink(options: RotatingLinkOptions): MqttLink & { readonly discoveries: number } {
  const { base, linkFactory } = options;
  const events = new EventEmitter();
  interface Subscription {
    filter: string;
    qos: 0 | 1;
    listener: MessageListener;
    off?: () => Promise<void>;
  }
  const subscriptions = new Set<Subscription>();
  const attach = async (link: MqttLink, sub: Subscription) => {
    sub.off = await link.subscribe(sub.filter, sub.qos, sub.listener);
  };
  let current: MqttLink | undefined;
  let closed = false;
  let discoveries = 0;

  const attempt = (link: MqttLink) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), base.connectTimeoutMs);
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        off();
        resolve(ok);
      };
      const off = link.onConnectionChange((up, error) => {
        if (up) settle(true);
        else if (error || !link.connected) settle(false);
      });
    });
  const dropped = (link: MqttLink) =>
    new Promise<void>((resolve) => {
      const off = link.onConnectionChange((up) => {
        if (up) return;
        off();
        resolve();
      });
    });

  const run = async () => {
    let endpoints: LinkEndpoint[] = [];
    let index = 0;
    let failures = 0;
    while (!closed) {
      if (endpoints.length === 0 || index >= endpoints.length || failures >= options.failuresBeforeRediscovery) {
        try {
          discoveries++;
          endpoints = await options.discover();
        } catch (error) {
          events.emit('change', false, error);
          endpoints = [];
        }
        index = 0;
        failures = 0;
        if (endpoints.length === 0) {
          await delay(base.reconnectPeriodMs);
          continue;
        }
      }
      const endpoint = endpoints[index]!;
      const link = linkFactory({ ...base, host: endpoint.host, port: endpoint.port, ca: endpoint.ca, reconnectPeriodMs: 0 });
      if (!(await attempt(link)) || closed) {
        await link.close();
        failures++;
        index++;
        if (!closed) await delay(base.reconnectPeriodMs);
        continue;
      }
      failures = 0;
      current = link;
      const forward = link.onMessage((topic, payload) => events.emit('message', topic, payload));
      const lost = dropped(link);
      // A fresh session: every subscription is made again.
      for (const sub of subscriptions) await attach(link, sub).catch(() => {});
      events.emit('change', true);
      await lost;
      forward();
      current = undefined;
      events.emit('change', false);
      await link.close();
      if (!closed) await delay(base.reconnectPeriodMs);
    }
  };
  void run();

  return {
    get connected() {
      return current?.connected ?? false;
    },
    get discoveries() {
      return discoveries;
    },
    publish: (topic, payload, publishOptions) =>
      current ? current.publish(topic, payload, publishOptions) : Promise.reject(new Error('not connected to a Greengrass core')),
    async subscribe(filter, qos, listener) {
      const sub: Subscription = { filter, qos, listener };
      subscriptions.add(sub);
      // While offline the subscription is made on the next connection.
      if (current) await attach(current, sub);
      return async () => {
        subscriptions.delete(sub);
        if (current) await sub.off?.();
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
    async close() {
      closed = true;
      await current?.close();
    },
  };
}

import { type Message, type Observer, type QoS, type TopicFilter, TopicIndex, type TopicMatch } from '@iiot/core';
import { MqttError } from '../errors.js';
import { decodePayload, type PayloadFormat } from './payload.js';

/** One observer of one `subscribe(filter)`. */
export interface Route {
  readonly filter: TopicFilter;
  readonly qos: QoS;
  readonly format: PayloadFormat;
  readonly observer: Observer<Message>;
}

/** What the table needs of a connected MQTT.js client. */
export interface SubscribeTransport {
  subscribe(filters: Record<string, { qos: QoS }>, done: (error: Error | null) => void): void;
  unsubscribe(filters: string[]): void;
}

export interface TableHooks {
  /** The message of a refused subscription. */
  refusal(filter: string, reason: string): string;
  /** A subscriber threw from `next`; the others still get the message. */
  subscriberFailed(error: unknown, topic: string): void;
}

/** Topics whose matches are remembered; past this the memory is cleared and filled again. */
const MATCH_CACHE_SIZE = 10_000;

interface BrokerFilter {
  qos: QoS;
  routes: Set<Route>;
  /** pending: to be sent; requested: SUBSCRIBE sent; active: SUBACK granted in this session. */
  state: 'pending' | 'requested' | 'active';
}

/**
 * Routes received messages to subscribers and keeps the broker's subscriptions in step: one MQTT subscription
 * per plain filter however many subscribers share it, re-made whenever a connection starts without a session.
 */
export class SubscriptionTable {
  readonly #index = new TopicIndex<Route>();
  readonly #broker = new Map<string, BrokerFilter>();
  /** Filters dropped while offline that a resumed session may still hold. */
  readonly #stale = new Set<string>();
  #transport: SubscribeTransport | undefined;
  /** The matches of recent topics: a gateway sees the same topics again and again, and matching is the hot path. */
  readonly #matches = new Map<string, readonly TopicMatch<Route>[]>();

  constructor(private readonly hooks: TableHooks) {}

  /** Adds a subscriber; subscribes at the broker when its plain filter is new or needs a higher QoS. */
  add(route: Route): void {
    this.#index.add(route.filter, route);
    this.#matches.clear();
    const key = route.filter.mqttFilter;
    this.#stale.delete(key);
    const entry = this.#broker.get(key);
    if (!entry) this.#broker.set(key, { qos: route.qos, routes: new Set([route]), state: 'pending' });
    else {
      entry.routes.add(route);
      if (route.qos <= entry.qos) return;
      entry.qos = route.qos;
      entry.state = 'pending';
    }
    this.#flush();
  }

  /** Removes a subscriber; unsubscribes at the broker when it was the last one on its plain filter. */
  remove(route: Route): void {
    if (!this.#index.remove(route.filter, route)) return;
    this.#matches.clear();
    const key = route.filter.mqttFilter;
    const entry = this.#broker.get(key);
    if (!entry?.routes.delete(route) || entry.routes.size > 0) return;
    this.#broker.delete(key);
    if (this.#transport) this.#transport.unsubscribe([key]);
    else this.#stale.add(key);
  }

  /** A connection is up: (re)subscribe what the broker does not hold. */
  attach(transport: SubscribeTransport, sessionPresent: boolean): void {
    this.#transport = transport;
    if (!sessionPresent) for (const entry of this.#broker.values()) entry.state = 'pending';
    else if (this.#stale.size > 0) transport.unsubscribe([...this.#stale]);
    this.#stale.clear();
    this.#flush();
  }

  /** The connection is gone; a SUBSCRIBE without its SUBACK is sent again next time. */
  detach(): void {
    this.#transport = undefined;
    for (const entry of this.#broker.values()) if (entry.state === 'requested') entry.state = 'pending';
  }

  /** Hands a received message to every subscriber whose filter matches. */
  dispatch(topic: string, bytes: Uint8Array, qos: QoS, retain: boolean, timestamp: number): void {
    let matches = this.#matches.get(topic);
    if (!matches) {
      if (this.#matches.size >= MATCH_CACHE_SIZE) this.#matches.clear();
      this.#matches.set(topic, (matches = this.#index.match(topic)));
    }
    // Subscribers mostly share one format: decode once for it.
    let format: PayloadFormat | undefined;
    let payload: unknown;
    for (const { value: route, vars } of matches) {
      if (route.format !== format) payload = decodePayload(bytes, (format = route.format));
      const message: Message = { topic, payload, timestamp, qos, retain };
      // A copy, since the match is remembered and a subscriber may change its message.
      if (route.filter.names.length > 0) message.vars = { ...vars };
      try {
        route.observer.next(message);
      } catch (error) {
        this.hooks.subscriberFailed(error, topic);
      }
    }
  }

  /** Completes every subscriber. */
  complete(): void {
    const routes = [...this.#broker.values()].flatMap((entry) => [...entry.routes]);
    for (const route of routes) route.observer.complete();
  }

  #flush(): void {
    const transport = this.#transport;
    if (!transport) return;
    const keys = [...this.#broker].filter(([, entry]) => entry.state === 'pending').map(([key]) => key);
    if (keys.length > 0) this.#request(transport, keys);
  }

  #request(transport: SubscribeTransport, keys: string[]): void {
    const filters: Record<string, { qos: QoS }> = {};
    const requested = new Map<string, BrokerFilter>();
    for (const key of keys) {
      const entry = this.#broker.get(key)!;
      entry.state = 'requested';
      requested.set(key, entry);
      filters[key] = { qos: entry.qos };
    }
    transport.subscribe(filters, (error) => {
      if (this.#transport !== transport) return;
      const current = [...requested].filter(([key, entry]) => this.#broker.get(key) === entry && entry.state === 'requested');
      if (!error) {
        for (const [, entry] of current) entry.state = 'active';
        return;
      }
      // A SUBACK arrived and refused some filter (rather than the connection failing under the request).
      const refused = 'packet' in error || typeof (error as { code?: unknown }).code === 'number';
      // A batch fails as a whole; asking for each filter alone finds which one the broker refuses.
      if (refused && current.length > 1) for (const [key] of current) this.#request(transport, [key]);
      else if (refused) for (const [key, entry] of current) this.#refuse(key, entry, error);
      else for (const [, entry] of current) entry.state = 'pending';
    });
  }

  #refuse(key: string, entry: BrokerFilter, cause: Error): void {
    const error = new MqttError('MQTT_SUBSCRIBE_REFUSED', this.hooks.refusal(key, cause.message), {
      cause,
      details: { filter: key },
    });
    for (const route of [...entry.routes]) route.observer.error(error);
  }
}

import { type Message, type TopicFilter, type TopicTemplate, checkTopicName, compileTopicTemplate, parseTopicFilter } from '@iiot/core';
import { MappingError, describeCause } from '../errors.js';
import type { MappingEntry, MappingMessage, SubscriptionSpec } from '../types.js';
import { setBounded } from './bounded.js';
import type { RuleStep, RunState } from './step.js';

/** Topics remembered per mapping for routing and publishing: sources repeat, so the work is done once. */
const ROUTE_CACHE = 1024;

interface Route {
  readonly vars: Readonly<Record<string, unknown>>;
  readonly label: string | undefined;
}

interface Subscription {
  readonly filter: TopicFilter;
  readonly label: TopicTemplate | undefined;
}

function invalid(mapping: string, what: string, cause: unknown): MappingError {
  return new MappingError('RULE_INVALID', `Mapping ${mapping}: ${what}: ${describeCause(cause)}`, { cause, details: { mapping } });
}

/** Parses the entry's subscriptions; labels may use the wildcards of their own topic. */
export function parseSubscriptions(entry: MappingEntry, mapping: string): Subscription[] {
  const specs: readonly SubscriptionSpec[] = Array.isArray(entry.subscribe) ? entry.subscribe : [entry.subscribe as SubscriptionSpec];
  return specs.map((spec, i) => {
    try {
      const filter = parseTopicFilter(spec.topic);
      const label = spec.label === undefined ? undefined : compileTopicTemplate(spec.label, { names: filter.names });
      return { filter, label };
    } catch (cause) {
      throw invalid(mapping, `subscription ${i + 1}`, cause);
    }
  });
}

/**
 * The first step: finds the subscription a message came through (its wildcards become `$context.vars`, its
 * label is rendered) and, when a rule needs a value, decodes JSON bytes. Bytes that are not JSON fail here,
 * unless the chain starts with a `parse` rule that takes the bytes as they are.
 */
export function entryStep(subscriptions: readonly Subscription[], decodeJson: boolean, mapping: string): RuleStep {
  const routes = new Map<string, Route>();
  const route = (topic: string): Route => {
    let known = routes.get(topic);
    if (known === undefined) {
      known = match(subscriptions, topic, mapping);
      setBounded(routes, topic, known, ROUTE_CACHE);
    }
    return known;
  };
  return {
    ref: undefined,
    process(message) {
      const { vars, label } = subscriptions.length > 0 ? route(message.topic) : { vars: message.vars ?? {}, label: undefined };
      let payload = message.payload;
      if (decodeJson && payload instanceof Uint8Array) {
        try {
          payload = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
        } catch (cause) {
          throw new MappingError(
            'PAYLOAD_NOT_JSON',
            `Mapping ${mapping}: the payload on "${message.topic}" is not JSON (${describeCause(cause)}). Start the rules with a parse rule for other formats.`,
            { cause, details: { mapping, topic: message.topic } },
          );
        }
      }
      return {
        topic: message.topic,
        payload,
        timestamp: message.timestamp,
        qos: message.qos,
        retain: message.retain,
        vars: message.vars,
        context: { vars, label },
      };
    },
  };
}

function match(subscriptions: readonly Subscription[], topic: string, mapping: string): Route {
  for (const subscription of subscriptions) {
    const vars = subscription.filter.match(topic);
    if (vars !== undefined) return { vars, label: subscription.label?.render(vars) };
  }
  throw new MappingError(
    'TOPIC_NOT_SUBSCRIBED',
    `Mapping ${mapping} got a message on "${topic}", which none of its subscriptions (${subscriptions.map((s) => s.filter.source).join(', ')}) matches. Route only matching messages into it.`,
    { details: { mapping, topic } },
  );
}

/** `Message.vars` holds text: captures are kept as they are, other values set by rules become JSON. */
function stringVars(vars: Readonly<Record<string, unknown>>): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const name in vars) {
    const value = vars[name];
    if (typeof value === 'string' && out === undefined) continue;
    out ??= copyStrings(vars, name);
    if (value !== undefined) out[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out ?? (vars as Record<string, string>);
}

function copyStrings(vars: Readonly<Record<string, unknown>>, upTo: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in vars) {
    if (name === upTo) break;
    out[name] = vars[name] as string;
  }
  return out;
}

/**
 * The last step: renders the publish topic from the message's variables and releases a plain `Message`.
 * When no rule sets a variable the template uses, the topic depends on the source topic alone and is cached.
 */
export function publishStep(
  entry: MappingEntry,
  template: TopicTemplate | undefined,
  bySourceTopic: boolean,
  state: RunState,
  mapping: string,
): RuleStep {
  const { qos, retain } = entry.publish ?? {};
  const topics = new Map<string, string>();
  const render = (vars: Readonly<Record<string, unknown>>): string => {
    let topic: string;
    try {
      topic = template!.render(vars);
    } catch (cause) {
      throw new MappingError('PUBLISH_TOPIC_INVALID', `Mapping ${mapping}: ${describeCause(cause)}`, { cause, details: { mapping } });
    }
    const why = checkTopicName(topic);
    if (why !== undefined) {
      throw new MappingError(
        'PUBLISH_TOPIC_INVALID',
        `Mapping ${mapping}: cannot publish to "${topic.slice(0, 200)}" (${why}); check the variables of the publish topic "${template!.source}".`,
        { details: { mapping, topic: topic.slice(0, 200) } },
      );
    }
    return topic;
  };
  return {
    ref: undefined,
    process(message: MappingMessage): Message {
      const vars = message.context?.vars ?? {};
      let topic = message.topic;
      if (template && bySourceTopic) {
        const known = topics.get(topic);
        if (known === undefined) setBounded(topics, message.topic, (topic = render(vars)), ROUTE_CACHE);
        else topic = known;
      } else if (template) {
        topic = render(vars);
      }
      state.store.released = message.payload;
      const out: Message = { topic, payload: message.payload, timestamp: message.timestamp, vars: stringVars(vars) };
      const outQos = qos ?? message.qos;
      const outRetain = retain ?? message.retain;
      if (outQos !== undefined) out.qos = outQos;
      if (outRetain !== undefined) out.retain = outRetain;
      return out;
    },
  };
}

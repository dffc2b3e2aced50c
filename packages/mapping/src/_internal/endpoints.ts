import { type Message, type TopicFilter, type TopicTemplate, checkTopicName, compileTopicTemplate, parseTopicFilter } from '@iiot/core';
import { MappingError, describeCause } from '../errors.js';
import type { MappingEntry, MappingMessage, SubscriptionSpec } from '../types.js';
import type { RuleStep, RunState } from './step.js';

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
  return {
    ref: undefined,
    process(message) {
      let vars: Record<string, unknown> | undefined = message.vars;
      let label: string | undefined;
      if (subscriptions.length > 0) {
        let match: Subscription | undefined;
        for (const subscription of subscriptions) {
          vars = subscription.filter.match(message.topic);
          if (vars !== undefined) {
            match = subscription;
            break;
          }
        }
        if (!match) {
          throw new MappingError(
            'TOPIC_NOT_SUBSCRIBED',
            `Mapping ${mapping} got a message on "${message.topic}", which none of its subscriptions (${subscriptions.map((s) => s.filter.source).join(', ')}) matches. Route only matching messages into it.`,
            { details: { mapping, topic: message.topic } },
          );
        }
        label = match.label?.render(vars);
      }
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
        context: { vars: vars ?? {}, label },
      };
    },
  };
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

/** The last step: renders the publish topic from the message's variables and releases a plain `Message`. */
export function publishStep(entry: MappingEntry, template: TopicTemplate | undefined, state: RunState, mapping: string): RuleStep {
  const { qos, retain } = entry.publish ?? {};
  return {
    ref: undefined,
    process(message: MappingMessage): Message {
      const vars = message.context?.vars ?? {};
      let topic = message.topic;
      if (template) {
        try {
          topic = template.render(vars);
        } catch (cause) {
          throw new MappingError('PUBLISH_TOPIC_INVALID', `Mapping ${mapping}: ${describeCause(cause)}`, { cause, details: { mapping } });
        }
      }
      const why = checkTopicName(topic);
      if (why !== undefined) {
        throw new MappingError(
          'PUBLISH_TOPIC_INVALID',
          `Mapping ${mapping}: cannot publish to "${topic.slice(0, 200)}" (${why}); check the variables of the publish topic "${template?.source}".`,
          { details: { mapping, topic: topic.slice(0, 200) } },
        );
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

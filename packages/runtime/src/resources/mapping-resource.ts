import { from, type Observable } from 'rxjs';
import type { Message, QoS } from '@iiot/core';
import { createMappingPipeline, type RuleSpec } from '@iiot/mapping';
import { type FlowBranch, runFlow } from '../_internal/flow.js';
import { endpointOperation, endpointTopic } from './endpoint-topic.js';
import type { ResourceContext, ResourceModel, RunningResource } from './types.js';

/** Messages a mapping may hold while JSONata evaluates; beyond that the oldest are shed (and counted). */
const MAX_QUEUED = 20_000;

interface SubscribeSpec {
  topic?: string;
  endpoint?: unknown;
  connection?: unknown;
  qos?: QoS;
  label?: string;
}

interface PublishSpec {
  topic?: string;
  endpoint?: unknown;
  connection?: unknown;
  qos?: QoS;
  retain?: boolean;
}

interface EntrySpec {
  subscribe: SubscribeSpec | SubscribeSpec[];
  publish: PublishSpec;
  rules?: RuleSpec[];
}

/**
 * Starts a `Cybus::Mapping`: each entry subscribes on the local broker, on an endpoint's topic or on a
 * connection, runs its rules, and publishes to a local topic, an endpoint or a connection (through that
 * connection's buffer).
 */
export function startMapping(resource: ResourceModel, ctx: ResourceContext): RunningResource {
  const entries = (resource.properties.mappings ?? []) as EntrySpec[];
  const branches = entries.map((entry, index): FlowBranch => {
    const where = `${resource.id}.mappings[${index}]`;
    const specs = Array.isArray(entry.subscribe) ? entry.subscribe : [entry.subscribe];
    const subscriptions = specs.map((spec) => subscription(spec, ctx, where));
    const target = publishTarget(entry.publish, ctx, where);
    const qos = entry.publish.qos ?? target.qos;
    const pipeline = createMappingPipeline(
      {
        subscribe: subscriptions.map((s) => ({ topic: s.topic, ...(s.label !== undefined && { label: s.label }) })),
        publish: {
          ...(target.topic !== undefined && { topic: target.topic }),
          ...(qos !== undefined && { qos }),
          ...(entry.publish.retain !== undefined && { retain: entry.publish.retain }),
        },
        rules: entry.rules ?? [],
      },
      { id: `${ctx.serviceId}/${where}`, maxQueued: MAX_QUEUED },
    );
    return { sources: subscriptions.map((s) => s.source), pipeline, publish: target.publish };
  });
  const flow = runFlow(resource.id, branches, ctx.log.child({ resource: resource.id }));
  return {
    state: () => 'enabled',
    flow: flow.metrics,
    stop: async () => flow.stop(),
  };
}

function subscription(spec: SubscribeSpec, ctx: ResourceContext, where: string) {
  let topic = spec.topic;
  if (spec.endpoint !== undefined) {
    const { serviceId, resource } = ctx.resource(spec.endpoint, where);
    topic = endpointTopic(serviceId, resource);
  }
  if (topic === undefined) throw new Error(`${where}: a subscription needs a topic or an endpoint`);
  const connector = spec.connection !== undefined ? ctx.connection(spec.connection, where).connector : ctx.local;
  // QoS 1 unless the file says otherwise, so a broker keeps what arrives while the runtime restarts.
  const source: Observable<Message> = from(connector.source({ topic, qos: spec.qos ?? 1 }));
  return { topic, label: spec.label, source };
}

function publishTarget(spec: PublishSpec, ctx: ResourceContext, where: string): { topic: string | undefined; qos?: QoS; publish(m: Message): Promise<void> } {
  if (spec.connection !== undefined) {
    const handle = ctx.connection(spec.connection, where);
    // A connection's buffer delivers at least once, which takes acknowledged publishes: QoS 1 unless the file
    // says otherwise (otherwise a mapping would forward the QoS its subscription received, often 0).
    return { topic: spec.topic, qos: 1, publish: (m: Message) => handle.sink.publish(m) };
  }
  if (spec.endpoint !== undefined) {
    const { serviceId, resource } = ctx.resource(spec.endpoint, where);
    const base = endpointTopic(serviceId, resource);
    // Publishing to a write endpoint is a write request; to any other endpoint, a message on its topic.
    const topic = endpointOperation(resource).kind === 'write' ? `${base}/set` : base;
    return { topic: topic.replace(/\$/g, '$$$$'), publish: ctx.publishLocal };
  }
  return { topic: spec.topic, publish: ctx.publishLocal };
}

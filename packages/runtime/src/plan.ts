import type { ServiceDefinition } from '@iiot/commissioning';
import type { Permission } from './broker/access-control.js';
import { isAwsIotHost } from './connectors/mqtt-connector.js';
import { readRef } from './_internal/references.js';
import { serviceUsers } from './resources/access-resources.js';
import { endpointOperation, endpointTopic } from './resources/endpoint-topic.js';
import { RUNNABLE_TYPES } from './resources/start-resource.js';

/** What installing a service would create, for `iiot plan`. */
export interface ServicePlan {
  serviceId: string;
  connections: { id: string; protocol: string; target: string; transport: 'mqtt' | 'aws-iot' | 'connector'; /** A mapping publishes to it through a buffer. */ buffered: boolean }[];
  /** Endpoints with their local topics. */
  endpoints: { id: string; connection: string; operation: 'subscribe' | 'read' | 'write'; address: string; topic: string }[];
  /** Mapping entries: where they subscribe, their rule chain, and the publish topic template. */
  routes: { mapping: string; from: string[]; rules: string[]; to: string }[];
  /** Broker users and their permissions. */
  users: { username: string; permissions: Permission[] }[];
  /** Resources this runtime recognises but does not run. */
  unsupported: { id: string; type: string }[];
}

/** Describes what a resolved service would create, without connecting anything. */
export function planService(definition: ServiceDefinition, options: { awsIotHosts?: readonly string[] } = {}): ServicePlan {
  const { serviceId } = definition;
  const byId = new Map(definition.resources.map((r) => [r.id, r]));
  const plan: ServicePlan = { serviceId, connections: [], endpoints: [], routes: [], users: [], unsupported: [] };
  const where = (ref: unknown) => {
    const r = readRef(ref);
    return r?.serviceId ? `${r.serviceId}::${r.resourceId}` : (r?.resourceId ?? '?');
  };
  const topicOf = (ref: unknown, suffix = '') => {
    const r = readRef(ref);
    const endpoint = r && !r.serviceId ? byId.get(r.resourceId) : undefined;
    return endpoint ? endpointTopic(serviceId, endpoint as never) + suffix : `endpoint ${where(ref)}`;
  };
  for (const r of definition.resources) {
    const p = r.properties as Record<string, unknown>;
    if (!RUNNABLE_TYPES.has(r.type)) {
      plan.unsupported.push({ id: r.id, type: r.type });
    } else if (r.type === 'Cybus::Connection') {
      const c = (p.connection ?? {}) as Record<string, unknown>;
      const protocol = String(p.protocol);
      const mqtt = protocol.toLowerCase() === 'mqtt';
      const target = `${c.scheme ?? (mqtt ? 'mqtt' : protocol.toLowerCase())}://${c.host ?? '?'}${c.port !== undefined ? `:${c.port}` : ''}`;
      const aws = mqtt && isAwsIotHost(String(c.host ?? ''), options.awsIotHosts ?? []);
      plan.connections.push({ id: r.id, protocol, target, transport: aws ? 'aws-iot' : mqtt ? 'mqtt' : 'connector', buffered: false });
    } else if (r.type === 'Cybus::Endpoint') {
      const { kind, address } = endpointOperation(r as never);
      plan.endpoints.push({
        id: r.id,
        connection: where(p.connection),
        operation: kind,
        address: String(address.topic ?? address.nodeId ?? address.browsePath ?? JSON.stringify(address)),
        topic: endpointTopic(serviceId, r as never) + (kind === 'write' ? '/set' : kind === 'read' ? '/req' : ''),
      });
    } else if (r.type === 'Cybus::Mapping') {
      const entries = (p.mappings ?? []) as { subscribe: Record<string, unknown>[]; publish: Record<string, unknown>; rules: object[] }[];
      entries.forEach((e, i) => {
        const via = (spec: Record<string, unknown>) => (spec.connection !== undefined ? ` on ${where(spec.connection)}` : '');
        plan.routes.push({
          mapping: `${r.id}[${i}]`,
          from: e.subscribe.map((s) => (s.endpoint !== undefined ? topicOf(s.endpoint) : String(s.topic)) + via(s)),
          rules: e.rules.map((rule) => Object.keys(rule)[0] ?? '?'),
          to: (e.publish.endpoint !== undefined ? topicOf(e.publish.endpoint) : String(e.publish.topic ?? '(source topic)')) + via(e.publish),
        });
      });
    }
  }
  // Every connection a mapping publishes to gets a store-and-forward buffer in front of it.
  const sinks = new Set(
    definition.resources.flatMap((r) =>
      r.type === 'Cybus::Mapping'
        ? ((r.properties as { mappings: { publish: { connection?: unknown } }[] }).mappings ?? []).map((e) => where(e.publish.connection))
        : [],
    ),
  );
  for (const c of plan.connections) c.buffered = sinks.has(c.id);
  const models = definition.resources.map((r) => ({ id: r.id, type: r.type, properties: r.properties as Record<string, unknown> }));
  plan.users = serviceUsers(serviceId, `services/${serviceId}`, '-', models).map(({ username, permissions }) => ({
    username,
    permissions: [...permissions],
  }));
  return plan;
}

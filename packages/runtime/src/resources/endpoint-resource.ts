import { from } from 'rxjs';
import { map } from 'rxjs/operators';
import type { Message, QoS } from '@iiot/core';
import { createMappingPipeline, type RuleSpec } from '@iiot/mapping';
import { type Flow, runDirectFlow, runFlow } from '../_internal/flow.js';
import { endpointOperation, endpointTopic } from './endpoint-topic.js';
import type { ConnectionHandle, ResourceContext, ResourceModel, RunningResource } from './types.js';

interface EndpointProperties {
  protocol?: string;
  connection: unknown;
  rules?: RuleSpec[];
  qos?: QoS;
  retain?: boolean;
}

/**
 * Starts a `Cybus::Endpoint`. subscribe: data from the connection appears on the endpoint's local topic
 * (MQTT payloads as they are; a connector's data message `{ timestamp, value, … }` as it is; any other
 * value wrapped as `{ timestamp, value }`). write: a request on `<topic>/set`
 * is written and answered on `<topic>/res`. read: a request on `<topic>/req` is answered on `<topic>/res`.
 */
export function startEndpoint(resource: ResourceModel, ctx: ResourceContext): RunningResource {
  const props = resource.properties as unknown as EndpointProperties;
  const where = `endpoint ${resource.id}`;
  const handle = ctx.connection(props.connection, where);
  const topic = endpointTopic(ctx.serviceId, resource);
  const { kind, address } = endpointOperation(resource);
  const log = ctx.log.child({ resource: resource.id });
  const publish = { ...(props.qos !== undefined && { qos: props.qos }), ...(props.retain !== undefined && { retain: props.retain }) };
  let flow: Flow;
  if (kind === 'subscribe') {
    const qos = (address.qos as QoS | undefined) ?? props.qos;
    const source = handle.connector.source({ ...(typeof address.topic === 'string' && { topic: address.topic }), address, ...(qos !== undefined && { qos }) });
    // MQTT payloads and a connector's data message pass as they are; any other value is wrapped.
    const wrap = (props.protocol ?? 'Mqtt').toLowerCase() !== 'mqtt';
    const payloadOf = (m: Message) => (wrap && !isDataMessage(m.payload) ? { timestamp: m.timestamp, value: m.payload } : m.payload);
    if (props.rules?.length) {
      const pipeline = createMappingPipeline({ subscribe: [], publish, rules: props.rules }, { id: `${ctx.serviceId}/${resource.id}` });
      const wrapped = from(source).pipe(map((m) => ({ ...m, payload: payloadOf(m) })));
      flow = runFlow(resource.id, [{ sources: [wrapped], pipeline, publish: (m) => ctx.publishLocal({ ...m, topic }) }], log);
    } else {
      // No rules: straight from the connector to the broker, as the pipeline would pass it.
      flow = runDirectFlow(resource.id, source, (m, done) => {
        const out: Message = { topic, payload: payloadOf(m), timestamp: m.timestamp };
        const outQos = props.qos ?? m.qos;
        const outRetain = props.retain ?? m.retain;
        if (outQos !== undefined) out.qos = outQos;
        if (outRetain !== undefined) out.retain = outRetain;
        ctx.sendLocal(out, done);
      }, log);
    }
  } else {
    const pipeline = createMappingPipeline({ subscribe: [], publish, rules: props.rules ?? [] }, { id: `${ctx.serviceId}/${resource.id}` });
    const requests = from(ctx.local.source({ topic: `${topic}/${kind === 'write' ? 'set' : 'req'}` }));
    flow = runFlow(resource.id, [{ sources: [requests], pipeline, publish: (m) => answer(kind, m, address, handle, `${topic}/res`, ctx) }], log);
  }
  return { state: () => 'enabled', flow: flow.metrics, stop: async () => flow.stop() };
}

async function answer(
  kind: 'read' | 'write',
  request: Message,
  address: Record<string, unknown>,
  handle: ConnectionHandle,
  responseTopic: string,
  ctx: ResourceContext,
): Promise<void> {
  const body = requestBody(request.payload);
  const id = body.id ?? null;
  let response: Record<string, unknown>;
  try {
    if (kind === 'write' && !handle.connector.write && typeof address.topic === 'string') {
      // MQTT has no write operation: the request's payload is published, as it is, to the endpoint's topic.
      await handle.sink.publish({ topic: address.topic, payload: request.payload, timestamp: request.timestamp });
      response = { id, timestamp: Date.now(), result: 'published' };
    } else if (kind === 'write' && handle.connector.write) {
      response = { id, timestamp: Date.now(), result: await handle.connector.write(address, body.value) };
    } else if (kind === 'read' && handle.connector.read) {
      response = { id, timestamp: Date.now(), value: await handle.connector.read(address) };
    } else {
      throw new Error(`this connection's protocol does not support ${kind} endpoints`);
    }
  } catch (error) {
    response = { id, timestamp: Date.now(), error: (error as Error).message };
  }
  await ctx.publishLocal({ topic: responseTopic, payload: response, timestamp: Date.now() });
}

/** Whether a payload already is a data message: an object with a numeric `timestamp` and a `value`. */
function isDataMessage(payload: unknown): boolean {
  if (!payload || typeof payload !== 'object' || payload instanceof Uint8Array) return false;
  const p = payload as { timestamp?: unknown };
  return typeof p.timestamp === 'number' && 'value' in p;
}

/** The `{ value, id }` of a request, whether it arrives as bytes or already parsed by a rule. */
function requestBody(payload: unknown): { value?: unknown; id?: unknown } {
  let value = payload;
  if (payload instanceof Uint8Array) {
    try {
      value = JSON.parse(Buffer.from(payload).toString('utf8'));
    } catch {
      return {};
    }
  }
  return value && typeof value === 'object' ? (value as { value?: unknown; id?: unknown }) : {};
}

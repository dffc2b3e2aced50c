import type { ResourceModel } from './types.js';

/** The local topic of an endpoint: `services/<serviceId>/<topic>`, where `topic` defaults to the resource id. */
export function endpointTopic(serviceId: string, endpoint: ResourceModel): string {
  const topic = typeof endpoint.properties.topic === 'string' ? endpoint.properties.topic : endpoint.id;
  return `services/${serviceId}/${topic}`;
}

/** Which operation an endpoint performs, and its protocol address. */
export function endpointOperation(endpoint: ResourceModel): { kind: 'subscribe' | 'read' | 'write'; address: Record<string, unknown> } {
  for (const kind of ['subscribe', 'read', 'write'] as const) {
    const address = endpoint.properties[kind];
    if (address && typeof address === 'object') return { kind, address: address as Record<string, unknown> };
  }
  return { kind: 'subscribe', address: {} };
}

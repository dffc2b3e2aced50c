import { connectionTarget, startConnection } from './connection-resource.js';
import { startEndpoint } from './endpoint-resource.js';
import { startMapping } from './mapping-resource.js';
import type { ResourceContext, ResourceModel, ResourceState, RunningResource } from './types.js';

/** Resource types the runtime runs itself; other `Cybus::*` types are recognised and reported unsupported. */
export const RUNNABLE_TYPES = new Set(['Cybus::Connection', 'Cybus::Endpoint', 'Cybus::Mapping', 'Cybus::User', 'Cybus::Role']);

/** The state a resource should be in once its service is enabled. */
export function targetStateOf(resource: ResourceModel): ResourceState {
  if (!RUNNABLE_TYPES.has(resource.type)) return 'unsupported';
  if (resource.type === 'Cybus::Connection') return connectionTarget(resource);
  return resource.properties.targetState === 'disabled' ? 'disabled' : 'enabled';
}

/** Starts one resource of an enabling service. */
export async function startResource(resource: ResourceModel, ctx: ResourceContext): Promise<RunningResource> {
  const target = targetStateOf(resource);
  if (target === 'unsupported') {
    ctx.log.warn(
      { resource: resource.id, type: resource.type },
      `resource type ${resource.type} is recognised but not run by this runtime; the rest of the service runs without it`,
    );
    return fixed('unsupported');
  }
  if (target === 'disabled') return fixed('disabled');
  switch (resource.type) {
    case 'Cybus::Connection':
      return startConnection(resource, ctx);
    case 'Cybus::Endpoint':
      return startEndpoint(resource, ctx);
    case 'Cybus::Mapping':
      return startMapping(resource, ctx);
    default:
      // Users and roles are enforced by the broker from the service's definition; nothing runs for them.
      return fixed('enabled');
  }
}

function fixed(state: ResourceState): RunningResource {
  return { state: () => state, stop: async () => {} };
}

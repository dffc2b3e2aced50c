/** A reference to a resource, possibly of another service (`!ref other::id`). */
export interface ResourceRef {
  serviceId?: string;
  resourceId: string;
}

/**
 * Reads a resolved `!ref` to a resource: `{ kind: 'resource', id }` for one of the same file,
 * `{ kind: 'external', service, id }` for one of another service. A bare id string is accepted too.
 */
export function readRef(value: unknown): ResourceRef | undefined {
  if (typeof value === 'string') return { resourceId: value };
  if (!value || typeof value !== 'object') return undefined;
  const ref = value as { kind?: unknown; id?: unknown; service?: unknown };
  if (typeof ref.id !== 'string') return undefined;
  if (ref.kind === 'external' && typeof ref.service === 'string') return { serviceId: ref.service, resourceId: ref.id };
  return ref.kind === 'resource' ? { resourceId: ref.id } : undefined;
}

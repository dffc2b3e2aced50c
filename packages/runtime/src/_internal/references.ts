/** A reference to a resource, possibly of another service (`!ref other::id`). */
export interface ResourceRef {
  serviceId?: string;
  resourceId: string;
}

/**
 * Reads a resolved `!ref` to a resource. The commissioning parser turns references into typed objects;
 * a bare string id is accepted too, for definitions built in code.
 */
export function readRef(value: unknown): ResourceRef | undefined {
  if (typeof value === 'string') {
    const at = value.indexOf('::');
    return at < 0 ? { resourceId: value } : { serviceId: value.slice(0, at), resourceId: value.slice(at + 2) };
  }
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const id = v.resourceId ?? v.ref ?? v.id;
    if (typeof id === 'string') {
      const service = v.serviceId ?? v.service;
      return typeof service === 'string' ? { serviceId: service, resourceId: id } : readRef(id);
    }
  }
  return undefined;
}

/** Every resource reference found anywhere inside a resolved value. */
export function collectRefs(value: unknown, out: ResourceRef[] = []): ResourceRef[] {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, out);
  } else if (value && typeof value === 'object') {
    const ref = isRefObject(value) ? readRef(value) : undefined;
    if (ref) out.push(ref);
    else for (const inner of Object.values(value)) collectRefs(inner, out);
  }
  return out;
}

function isRefObject(value: object): boolean {
  return 'resourceId' in value;
}

import type { ResourceDefinition, ServiceDefinition } from './types.js';

/** How a service's resources differ between two resolved definitions of it. */
export interface ServiceDiff {
  /** In the new definition only; create them in this order (dependencies first). */
  readonly added: readonly string[];
  /** In the old definition only, in its dependency order; tear them down in reverse. */
  readonly removed: readonly string[];
  /** In both, with a different type or resolved properties; restart them. */
  readonly changed: readonly string[];
  /** Unchanged themselves but depending, directly or not, on a changed resource; restart them too. */
  readonly affected: readonly string[];
  /** Neither changed nor affected: leave them running. */
  readonly unchanged: readonly string[];
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function sameResource(a: ResourceDefinition, b: ResourceDefinition): boolean {
  return a.type === b.type && equal(a.properties, b.properties) && equal(a.externalReferences, b.externalReferences);
}

/**
 * Compares two resolved definitions of a service (old `a`, new `b`) resource by resource, so a running service
 * can be reconfigured by restarting only what changed and what depends on it. Positions in the file do not count.
 */
export function diffServices(a: ServiceDefinition, b: ServiceDefinition): ServiceDiff {
  const before = new Map(a.resources.map((r) => [r.id, r]));
  const after = new Set(b.resources.map((r) => r.id));
  const added: string[] = [];
  const changed = new Set<string>();
  for (const r of b.resources) {
    const old = before.get(r.id);
    if (!old) added.push(r.id);
    else if (!sameResource(old, r)) changed.add(r.id);
  }
  // Resources come dependencies first, so one pass sees every dependency's state before its dependents.
  const restart = new Set(changed);
  const affected: string[] = [];
  const unchanged: string[] = [];
  for (const r of b.resources) {
    if (!before.has(r.id) || changed.has(r.id)) continue;
    if (r.dependsOn.some((dep) => restart.has(dep))) {
      restart.add(r.id);
      affected.push(r.id);
    } else unchanged.push(r.id);
  }
  return {
    added,
    removed: a.resources.filter((r) => !after.has(r.id)).map((r) => r.id),
    changed: b.resources.filter((r) => changed.has(r.id)).map((r) => r.id),
    affected,
    unchanged,
  };
}

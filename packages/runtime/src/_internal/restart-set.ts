import { isDeepStrictEqual } from 'node:util';
import type { ResourceModel } from '../resources/types.js';
import { collectRefs } from './references.js';

/**
 * The resources a reconfiguration must restart: those added, removed or whose resolved definition changed,
 * plus every resource that references one of them (a mapping holds on to its connection).
 */
export function restartSet(before: readonly ResourceModel[], after: readonly ResourceModel[]): Set<string> {
  const old = new Map(before.map((r) => [r.id, r]));
  const restart = new Set<string>();
  for (const r of after) {
    const previous = old.get(r.id);
    if (!previous || previous.type !== r.type || !isDeepStrictEqual(previous.properties, r.properties)) restart.add(r.id);
    old.delete(r.id);
  }
  for (const id of old.keys()) restart.add(id);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of after) {
      if (restart.has(r.id)) continue;
      if (collectRefs(r.properties).some((ref) => ref.serviceId === undefined && restart.has(ref.resourceId))) {
        restart.add(r.id);
        grew = true;
      }
    }
  }
  return restart;
}

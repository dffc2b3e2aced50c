import type { Permission } from './definition.js';
import { READ, WRITE } from './_internal/policy.js';

/** Who is asking: a user and the roles it holds. Policy subjects are `user:<name>` and `role:<name>`. */
export interface Caller {
  user?: string;
  roles?: readonly string[];
}

interface Identity {
  subjects: string[];
  key: string;
}

const identities = new WeakMap<Caller, Identity>();

/** @internal The policy subjects of a caller and a key for its memoised decisions (cached per caller object). */
export function identify(caller: Caller): Identity {
  let id = identities.get(caller);
  if (!id) {
    const subjects = [...(caller.user === undefined ? [] : [`user:${caller.user}`]), ...(caller.roles ?? []).map((r) => `role:${r}`)];
    id = { subjects, key: [...new Set(subjects)].sort().join('\n') };
    identities.set(caller, id);
  }
  return id;
}

/** @internal */
export const PERMISSION_BITS: Record<Permission, number> = { READ, WRITE };

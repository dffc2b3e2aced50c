import type { TwinProblem } from '../errors.js';
import type { Permission, PolicyEntryDefinition } from '../definition.js';

export const READ = 1;
export const WRITE = 2;
const BITS: Record<Permission, number> = { READ, WRITE };
const ROOT = -1;

interface Rule {
  grant: number;
  revoke: number;
}

/** Rules by subject; node -1 is the root path `/`. */
export interface CompiledPolicy {
  bySubject: Map<string, Map<number, Rule>>;
}

function mask(list: unknown, at: string, problems: TwinProblem[]): number {
  if (list === undefined) return 0;
  if (!Array.isArray(list)) {
    problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: 'grant and revoke are lists of READ and WRITE.' });
    return 0;
  }
  let bits = 0;
  for (const p of list) {
    const bit = BITS[p as Permission];
    if (bit === undefined) problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: `unknown permission "${p}"; use READ or WRITE.` });
    else bits |= bit;
  }
  return bits;
}

/** Checks and compiles the policy entries; resource paths must name twins or properties (or `/`). */
export function compilePolicy(
  entries: Record<string, PolicyEntryDefinition> | undefined,
  byPath: ReadonlyMap<string, number>,
  problems: TwinProblem[],
): CompiledPolicy {
  const bySubject = new Map<string, Map<number, Rule>>();
  for (const [label, entry] of Object.entries(entries ?? {})) {
    const at = `policy.${label}`;
    if (!Array.isArray(entry?.subjects) || entry.subjects.some((s) => typeof s !== 'string')) {
      problems.push({ code: 'TWIN_DEFINITION_INVALID', at, message: 'subjects must be a list such as [role:operator, user:alice].' });
      continue;
    }
    for (const [path, resource] of Object.entries(entry.resources ?? {})) {
      const key = path.replace(/^\/+|\/+$/g, '');
      const node = key === '' ? ROOT : byPath.get(key);
      if (node === undefined) {
        problems.push({ code: 'TWIN_REFERENCE_UNKNOWN', at: `${at}.resources`, message: `"${path}" is not a twin or property path; write it from a root twin, like plant1/line2.` });
        continue;
      }
      const grant = mask(resource?.grant, `${at}.resources.${path}`, problems);
      const revoke = mask(resource?.revoke, `${at}.resources.${path}`, problems);
      for (const subject of entry.subjects) {
        let rules = bySubject.get(subject);
        if (!rules) bySubject.set(subject, (rules = new Map()));
        const rule = rules.get(node) ?? { grant: 0, revoke: 0 };
        rules.set(node, { grant: rule.grant | grant, revoke: rule.revoke | revoke });
      }
    }
  }
  return { bySubject };
}

/** The merged rules of all a caller's subjects: the first step of every decision. */
function mergeRules(policy: CompiledPolicy, subjects: readonly string[]): Map<number, Rule> {
  const merged = new Map<number, Rule>();
  for (const subject of subjects) {
    for (const [node, rule] of policy.bySubject.get(subject) ?? []) {
      const prev = merged.get(node);
      merged.set(node, prev ? { grant: prev.grant | rule.grant, revoke: prev.revoke | rule.revoke } : rule);
    }
  }
  return merged;
}

/** Applies one level's rule on top of what was inherited: revoke beats grant at the same level. */
function apply(rule: Rule | undefined, inherited: number): number {
  if (!rule) return inherited;
  let allowed = inherited;
  for (const bit of [READ, WRITE]) {
    if (rule.revoke & bit) allowed &= ~bit;
    else if (rule.grant & bit) allowed |= bit;
  }
  return allowed;
}

interface CallerCache {
  rules: Map<number, Rule>;
  rootAllowed: number;
  /** Per node: 0 = not decided yet, else 4 | allowed bits. */
  decided: Uint8Array;
}

/**
 * Ditto-style decisions on the composition tree: the most specific path that mentions a permission wins,
 * WRITE and READ are independent. Decisions are memoised per set of subjects; `memoise: false` decides
 * every call from scratch (the baseline the benchmark compares with).
 */
export class AccessDecider {
  readonly #cache = new Map<string, CallerCache>();

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly parent: Int32Array,
    private readonly memoise: boolean,
  ) {}

  /** The permission bits (READ | WRITE) `subjects` hold on `node`. */
  allowed(subjects: readonly string[], key: string, node: number): number {
    if (!this.memoise) return this.#uncached(subjects, node);
    let cache = this.#cache.get(key);
    if (!cache) {
      const rules = mergeRules(this.policy, subjects);
      cache = { rules, rootAllowed: apply(rules.get(ROOT), 0), decided: new Uint8Array(this.parent.length) };
      this.#cache.set(key, cache);
    }
    const decided = cache.decided;
    if (decided[node]) return decided[node]! & 3;
    const chain: number[] = [];
    let at = node;
    while (at !== ROOT && !decided[at]) {
      chain.push(at);
      at = this.parent[at]!;
    }
    let allowed = at === ROOT ? cache.rootAllowed : decided[at]! & 3;
    for (let i = chain.length - 1; i >= 0; i--) {
      allowed = apply(cache.rules.get(chain[i]!), allowed);
      decided[chain[i]!] = 4 | allowed;
    }
    return allowed;
  }

  #uncached(subjects: readonly string[], node: number): number {
    const rules = mergeRules(this.policy, subjects);
    const chain: number[] = [];
    for (let at = node; at !== ROOT; at = this.parent[at]!) chain.push(at);
    let allowed = apply(rules.get(ROOT), 0);
    for (let i = chain.length - 1; i >= 0; i--) allowed = apply(rules.get(chain[i]!), allowed);
    return allowed;
  }
}

import { parseTopicFilter, type TopicFilter, type TopicVars } from './topic-filter.js';

/** One filter that matched a topic, with what it captured. */
export interface TopicMatch<T> {
  readonly value: T;
  readonly filter: TopicFilter;
  readonly vars: TopicVars;
}

interface Entry<T> {
  readonly filter: TopicFilter;
  readonly value: T;
  /** Level positions of named wildcards, computed once so a match does no per-level work. */
  readonly captures: readonly Capture[];
}

interface Capture {
  readonly at: number;
  readonly name: string;
  readonly multi: boolean;
}

interface Node<T> {
  literal: Map<string, Node<T>> | undefined;
  single: Node<T> | undefined;
  /** Filters ending in `#` at this node; they match this level and everything below it. */
  multi: Entry<T>[] | undefined;
  /** Filters ending exactly here. */
  exact: Entry<T>[] | undefined;
}

const newNode = <T>(): Node<T> => ({ literal: undefined, single: undefined, multi: undefined, exact: undefined });

/**
 * Matches one topic against many filters (named wildcards allowed) in time proportional to the topic's depth
 * and the number of wildcard branches, not to the number of filters. The routing core of the runtime.
 */
export class TopicIndex<T> {
  readonly #root: Node<T> = newNode();
  #size = 0;

  /** How many (filter, value) entries the index holds. */
  get size(): number {
    return this.#size;
  }

  /** Adds `value` under `filter`; the same filter may hold several values. */
  add(filter: string | TopicFilter, value: T): TopicFilter {
    const parsed = typeof filter === 'string' ? parseTopicFilter(filter) : filter;
    let node = this.#root;
    for (const level of parsed.levels) {
      if (level.kind === 'multi') {
        (node.multi ??= []).push(newEntry(parsed, value));
        this.#size++;
        return parsed;
      }
      if (level.kind === 'single') node = node.single ??= newNode();
      else {
        node.literal ??= new Map();
        let child = node.literal.get(level.value);
        if (!child) node.literal.set(level.value, (child = newNode()));
        node = child;
      }
    }
    (node.exact ??= []).push(newEntry(parsed, value));
    this.#size++;
    return parsed;
  }

  /** Removes one entry with this filter text and value; returns whether one was found. */
  remove(filter: string | TopicFilter, value: T): boolean {
    const parsed = typeof filter === 'string' ? parseTopicFilter(filter) : filter;
    const path: Array<{ node: Node<T>; key: string | null }> = [];
    let node: Node<T> | undefined = this.#root;
    let list: Entry<T>[] | undefined;
    for (const level of parsed.levels) {
      if (level.kind === 'multi') {
        list = node.multi;
        break;
      }
      path.push({ node, key: level.kind === 'single' ? null : level.value });
      node = level.kind === 'single' ? node.single : node.literal?.get(level.value);
      if (!node) return false;
    }
    list ??= node.exact;
    const at = list?.findIndex((e) => e.value === value && e.filter.source === parsed.source) ?? -1;
    if (!list || at < 0) return false;
    list.splice(at, 1);
    this.#size--;
    // Prune empty nodes so a long-running runtime that reconfigures often does not grow.
    for (let i = path.length - 1; i >= 0; i--) {
      const { node: parent, key } = path[i]!;
      const child = key === null ? parent.single! : parent.literal!.get(key)!;
      if (!isEmpty(child)) break;
      if (key === null) parent.single = undefined;
      else parent.literal!.delete(key);
    }
    return true;
  }

  /** Every entry whose filter matches `topic`, with its captures. */
  match(topic: string): TopicMatch<T>[] {
    const parts = topic.split('/');
    const out: TopicMatch<T>[] = [];
    const root = this.#root;
    // MQTT: a filter starting with a wildcard does not match a topic starting with $.
    if (topic.charCodeAt(0) === 36) {
      const child = root.literal?.get(parts[0]!);
      if (child) walk(child, parts, 1, out);
      return out;
    }
    walk(root, parts, 0, out);
    return out;
  }
}

function walk<T>(node: Node<T>, parts: string[], depth: number, out: TopicMatch<T>[]): void {
  // Iterative along literal levels, recursive only where a single-level wildcard branches off.
  for (let current: Node<T> | undefined = node, d = depth; current; d++) {
    if (current.multi) for (const e of current.multi) out.push(toMatch(e, parts));
    if (d === parts.length) {
      if (current.exact) for (const e of current.exact) out.push(toMatch(e, parts));
      return;
    }
    if (current.single) walk(current.single, parts, d + 1, out);
    current = current.literal?.get(parts[d]!);
  }
}

const NO_VARS: TopicVars = Object.freeze({}) as TopicVars;

function newEntry<T>(filter: TopicFilter, value: T): Entry<T> {
  const captures: Capture[] = [];
  filter.levels.forEach((level, at) => {
    if (level.kind !== 'literal' && level.name !== undefined) captures.push({ at, name: level.name, multi: level.kind === 'multi' });
  });
  return { filter, value, captures };
}

function toMatch<T>(entry: Entry<T>, parts: string[]): TopicMatch<T> {
  if (entry.captures.length === 0) return { value: entry.value, filter: entry.filter, vars: NO_VARS };
  const vars: TopicVars = {};
  for (const c of entry.captures) vars[c.name] = c.multi ? parts.slice(c.at).join('/') : parts[c.at]!;
  return { value: entry.value, filter: entry.filter, vars };
}

function isEmpty<T>(node: Node<T>): boolean {
  return !node.exact?.length && !node.multi?.length && !node.single && !node.literal?.size;
}

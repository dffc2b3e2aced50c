import { EdgeTable } from './_internal/edge-table.js';
import { type Entry, newEntry, toMatch } from './_internal/topic-entry.js';
import { parseTopicFilter, type TopicFilter, type TopicVars } from './topic-filter.js';

/** One filter that matched a topic, with what it captured. */
export interface TopicMatch<T> {
  readonly value: T;
  readonly filter: TopicFilter;
  readonly vars: TopicVars;
}

// A node's flags, kept in the edge that leads to it: which entry lists it has, and how many children.
const EXACT = 1;
const MULTI = 2;
const SINGLE = 4;
const CHILD = 8;
/** The label of the edge to a `+` child; literal levels are numbered from 1. */
const PLUS = 0;
const ROOT = 0;

// Scratch for the match in progress (matching is synchronous and calls no user code): for each topic level, the
// label of its text (-1 when no filter has it) and where it starts; one more start marks the topic's end.
let levelLabels = new Int32Array(32);
let levelStarts = new Int32Array(33);
/** The entries matched so far. */
const foundEntries: (Entry<unknown> | undefined)[] = [];
let found = 0;

/**
 * Matches one topic against many filters (named wildcards allowed) in time proportional to the topic's depth
 * and the number of wildcard branches, not to the number of filters. The routing core of the runtime.
 */
export class TopicIndex<T> {
  // The trie is numbers: nodes are ids, edges live in one hash table, entry lists are looked up by node id.
  readonly #edges = new EdgeTable();
  /** By node: the filters ending exactly there. */
  readonly #exact: (Entry<T> | undefined)[] = [undefined];
  /** By node: the filters ending in `#` there; they match that level and everything below it. */
  readonly #multi: (Entry<T> | undefined)[] = [undefined];
  readonly #freeNodes: number[] = [];
  #rootFlags = 0;
  /** Every literal level text of the filters, numbered, so a match looks each topic level up once, then compares numbers. */
  readonly #labels = new Map<string, number>();
  /** By label: how many edges carry it, so a text no filter uses any more is forgotten. */
  readonly #labelRefs: number[] = [0];
  readonly #freeLabels: number[] = [];
  #size = 0;

  /** How many (filter, value) entries the index holds. */
  get size(): number {
    return this.#size;
  }

  /** Adds `value` under `filter`; the same filter may hold several values. */
  add(filter: string | TopicFilter, value: T): TopicFilter {
    const parsed = typeof filter === 'string' ? parseTopicFilter(filter) : filter;
    const edges = this.#edges;
    edges.reserve(parsed.levels.length);
    let node = ROOT;
    let at = -1;
    let lists = this.#exact;
    let flag = EXACT;
    for (const level of parsed.levels) {
      if (level.kind === 'multi') {
        lists = this.#multi;
        flag = MULTI;
        break;
      }
      const label = level.kind === 'single' ? PLUS : this.#label(level.value);
      let child = edges.find(node, label);
      if (child < 0) {
        child = edges.insert(node, label, this.#newNode(), 0);
        this.#setFlags(at, (this.#flags(at) + CHILD) | (label === PLUS ? SINGLE : 0));
        if (label !== PLUS) this.#labelRefs[label]!++;
      }
      at = child;
      node = edges.slots[at + 2]!;
    }
    const entry = newEntry(parsed, value);
    let last = lists[node];
    if (!last) lists[node] = entry;
    else {
      while (last.next) last = last.next;
      last.next = entry;
    }
    this.#setFlags(at, this.#flags(at) | flag);
    this.#size++;
    return parsed;
  }

  /** Removes one entry with this filter text and value; returns whether one was found. */
  remove(filter: string | TopicFilter, value: T): boolean {
    const parsed = typeof filter === 'string' ? parseTopicFilter(filter) : filter;
    const edges = this.#edges;
    // The edges taken, as (parent, label) pairs: deleting an edge moves others in the table.
    const parents: number[] = [];
    const labels: number[] = [];
    let node = ROOT;
    let lists = this.#exact;
    let flag = EXACT;
    for (const level of parsed.levels) {
      if (level.kind === 'multi') {
        lists = this.#multi;
        flag = MULTI;
        break;
      }
      const label = level.kind === 'single' ? PLUS : this.#labels.get(level.value);
      const at = label === undefined ? -1 : edges.find(node, label);
      if (at < 0) return false;
      parents.push(node);
      labels.push(label!);
      node = edges.slots[at + 2]!;
    }
    let previous: Entry<T> | undefined;
    let entry = lists[node];
    while (entry && !(entry.value === value && entry.filter.source === parsed.source)) {
      previous = entry;
      entry = entry.next;
    }
    if (!entry) return false;
    if (previous) previous.next = entry.next;
    else lists[node] = entry.next;
    this.#size--;
    if (lists[node]) return true;
    const edgeTo = (i: number) => (i < 0 ? -1 : edges.find(parents[i]!, labels[i]!));
    let i = parents.length - 1;
    const toNode = edgeTo(i);
    this.#setFlags(toNode, this.#flags(toNode) & ~flag);
    // Prune empty nodes and unused level texts so a long-running runtime that reconfigures often does not grow.
    for (; i >= 0; i--) {
      const at = edgeTo(i);
      if (edges.slots[at + 3] !== 0) break;
      this.#freeNodes.push(edges.slots[at + 2]!);
      edges.delete(at);
      const label = labels[i]!;
      if (label !== PLUS && --this.#labelRefs[label]! === 0) {
        this.#labels.delete((parsed.levels[i] as { value: string }).value);
        this.#freeLabels.push(label);
      }
      const up = edgeTo(i - 1);
      this.#setFlags(up, (this.#flags(up) - CHILD) & ~(label === PLUS ? SINGLE : 0));
    }
    return true;
  }

  /** Every entry whose filter matches `topic`, with its captures. */
  match(topic: string): TopicMatch<T>[] {
    // Each level's text is looked up once, here; the walk compares labels only.
    const labels = this.#labels;
    let levels = 0;
    let start = 0;
    for (;;) {
      const slash = topic.indexOf('/', start);
      const end = slash < 0 ? topic.length : slash;
      if (levels + 1 >= levelStarts.length) growScratch();
      levelStarts[levels] = start;
      levelLabels[levels++] = labels.get(topic.slice(start, end)) ?? -1;
      if (slash < 0) break;
      start = slash + 1;
    }
    levelStarts[levels] = topic.length + 1;
    found = 0;
    // MQTT: a filter starting with a wildcard does not match a topic starting with $.
    if (topic.charCodeAt(0) !== 36) this.#walk(ROOT, this.#rootFlags, 0, levels);
    else {
      const at = levelLabels[0]! < 0 ? -1 : this.#edges.find(ROOT, levelLabels[0]!);
      if (at >= 0) this.#walk(this.#edges.slots[at + 2]!, this.#edges.slots[at + 3]!, 1, levels);
    }
    // Matches are built only now, into an array of their exact number.
    const out = new Array<TopicMatch<T>>(found);
    for (let i = 0; i < found; i++) {
      out[i] = toMatch(foundEntries[i] as Entry<T>, topic, levelStarts, levels);
      foundEntries[i] = undefined;
    }
    return out;
  }

  #walk(node: number, flags: number, depth: number, levels: number): void {
    const edges = this.#edges;
    // Iterative along literal levels, recursive only where a single-level wildcard branches off.
    for (let d = depth; ; d++) {
      if (flags & MULTI) for (let e = this.#multi[node]; e; e = e.next) foundEntries[found++] = e;
      if (d === levels) {
        if (flags & EXACT) for (let e = this.#exact[node]; e; e = e.next) foundEntries[found++] = e;
        return;
      }
      if (flags & SINGLE) {
        const at = edges.find(node, PLUS);
        this.#walk(edges.slots[at + 2]!, edges.slots[at + 3]!, d + 1, levels);
      }
      const label = levelLabels[d]!;
      // Any literal children: more children than the `+` one.
      if (label < 0 || flags >>> 3 <= (flags & SINGLE) >>> 2) return;
      const at = edges.find(node, label);
      if (at < 0) return;
      node = edges.slots[at + 2]!;
      flags = edges.slots[at + 3]!;
    }
  }

  #label(text: string): number {
    let label = this.#labels.get(text);
    if (label === undefined) {
      label = this.#freeLabels.pop() ?? this.#labelRefs.push(0) - 1;
      this.#labels.set(text, label);
    }
    return label;
  }

  #newNode(): number {
    const node = this.#freeNodes.pop() ?? this.#exact.length;
    if (node === this.#exact.length) {
      this.#exact.push(undefined);
      this.#multi.push(undefined);
    }
    return node;
  }

  /** The flags of the node the edge at `at` leads to; -1 is the root, which no edge leads to. */
  #flags(at: number): number {
    return at < 0 ? this.#rootFlags : this.#edges.slots[at + 3]!;
  }

  #setFlags(at: number, flags: number): void {
    if (at < 0) this.#rootFlags = flags;
    else this.#edges.slots[at + 3] = flags;
  }
}

function growScratch(): void {
  const ids = new Int32Array(levelLabels.length * 2);
  ids.set(levelLabels);
  const starts = new Int32Array(ids.length + 1);
  starts.set(levelStarts);
  levelLabels = ids;
  levelStarts = starts;
}

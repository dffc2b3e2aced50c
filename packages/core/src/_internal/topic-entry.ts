import type { TopicFilter, TopicVars } from '../topic-filter.js';
import type { TopicMatch } from '../topic-index.js';

/** One (filter, value) pair, linked to the next one at the same node so a match reads no list object. */
export interface Entry<T> {
  readonly filter: TopicFilter;
  readonly value: T;
  /** The first named wildcard, with its level position computed once so a match does no per-level work. */
  readonly capture: Capture | undefined;
  next: Entry<T> | undefined;
}

interface Capture {
  readonly at: number;
  readonly name: string;
  readonly multi: boolean;
  readonly next: Capture | undefined;
}

const NO_VARS: TopicVars = Object.freeze({}) as TopicVars;

/** An entry for `value` under `filter`, its named wildcards listed once. */
export function newEntry<T>(filter: TopicFilter, value: T): Entry<T> {
  let capture: Capture | undefined;
  for (let at = filter.levels.length - 1; at >= 0; at--) {
    const level = filter.levels[at]!;
    if (level.kind !== 'literal' && level.name !== undefined) capture = { at, name: level.name, multi: level.kind === 'multi', next: capture };
  }
  return { filter, value, capture, next: undefined };
}

/** The match of `entry` for a topic of `levels` levels starting at `starts` (one more start marks its end). */
export function toMatch<T>(entry: Entry<T>, topic: string, starts: Int32Array, levels: number): TopicMatch<T> {
  if (!entry.capture) return { value: entry.value, filter: entry.filter, vars: NO_VARS };
  const vars: TopicVars = {};
  for (let c: Capture | undefined = entry.capture; c; c = c.next) {
    // A `#name` capture holds the rest of the topic, or nothing when `a/#rest` matches `a`.
    if (c.multi) vars[c.name] = c.at < levels ? topic.slice(starts[c.at]) : '';
    else vars[c.name] = topic.slice(starts[c.at]!, starts[c.at + 1]! - 1);
  }
  return { value: entry.value, filter: entry.filter, vars };
}

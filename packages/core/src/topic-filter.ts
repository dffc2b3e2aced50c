import { IiotError } from './errors.js';
import { utf8Length } from './_internal/utf8.js';

/** One level of a topic filter. */
export type FilterLevel =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'single'; readonly name?: string }
  | { readonly kind: 'multi'; readonly name?: string };

/** Captured values by wildcard name; a `#name` capture holds its levels joined by `/`. */
export type TopicVars = Record<string, string>;

/** A parsed topic filter with named wildcards, ready to match topics. */
export interface TopicFilter {
  /** The filter as written, named wildcards included. */
  readonly source: string;
  /** The group of a `$share/<group>/…` filter; matching ignores the prefix. */
  readonly shareGroup: string | undefined;
  readonly levels: readonly FilterLevel[];
  /** Names captured by `+name` and `#name`, in order. */
  readonly names: readonly string[];
  /** The plain MQTT filter to subscribe with (names removed, share prefix kept). */
  readonly mqttFilter: string;
  /** The captured variables when `topic` matches, otherwise `undefined`. */
  match(topic: string): TopicVars | undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_BYTES = 65_535;

function invalid(filter: string, why: string, hint: string): IiotError {
  return new IiotError('TOPIC_FILTER_INVALID', `Invalid topic filter "${filter}": ${why}. ${hint}`, {
    details: { filter },
  });
}

/**
 * Parses an MQTT 3.1.1/5 topic filter in which `+` and `#` may carry a name (`+machine`, `#rest`).
 * Throws an `IiotError` with code `TOPIC_FILTER_INVALID` naming the offending level.
 */
export function parseTopicFilter(filter: string): TopicFilter {
  if (filter.length === 0) throw invalid(filter, 'it is empty', 'A filter needs at least one level.');
  if (filter.includes('\u0000')) throw invalid(filter, 'it contains a NUL character', 'Remove it.');
  if (utf8Length(filter) > MAX_BYTES) {
    throw invalid(filter.slice(0, 40) + '…', `it is longer than ${MAX_BYTES} bytes`, 'Shorten it.');
  }

  let shareGroup: string | undefined;
  let body = filter;
  if (filter.startsWith('$share/')) {
    const rest = filter.slice('$share/'.length);
    const slash = rest.indexOf('/');
    shareGroup = slash < 0 ? rest : rest.slice(0, slash);
    if (slash < 0 || shareGroup === '' || /[+#]/.test(shareGroup)) {
      throw invalid(filter, 'a shared subscription needs a group and a filter', 'Write $share/<group>/<filter>.');
    }
    body = rest.slice(slash + 1);
    if (body === '') throw invalid(filter, 'the shared subscription has no filter', 'Add one after the group.');
  }

  const raw = body.split('/');
  const levels: FilterLevel[] = [];
  const names: string[] = [];
  raw.forEach((level, index) => {
    const marker = level[0];
    if (marker === '+' || marker === '#') {
      const name = level.slice(1);
      if (name !== '' && !NAME.test(name)) {
        throw invalid(
          filter,
          `level ${index + 1} ("${level}") is not a wildcard`,
          `A wildcard fills a whole level; a name after it is letters, digits and _ (for example ${marker}machine).`,
        );
      }
      if (marker === '#' && index !== raw.length - 1) {
        throw invalid(filter, `"${level}" is not the last level`, 'A multi-level wildcard may only end a filter.');
      }
      if (name !== '') {
        if (names.includes(name)) {
          throw invalid(filter, `the name "${name}" is captured twice`, 'Give each wildcard its own name.');
        }
        names.push(name);
      }
      levels.push(name === '' ? { kind: marker === '+' ? 'single' : 'multi' } : { kind: marker === '+' ? 'single' : 'multi', name });
      return;
    }
    if (level.includes('+') || level.includes('#')) {
      throw invalid(
        filter,
        `level ${index + 1} ("${level}") mixes a wildcard with text`,
        'A wildcard must fill a whole level: write a/+/b, not a/b+/c.',
      );
    }
    levels.push({ kind: 'literal', value: level });
  });

  const plain = levels.map((l) => (l.kind === 'literal' ? l.value : l.kind === 'single' ? '+' : '#')).join('/');
  const mqttFilter = shareGroup === undefined ? plain : `$share/${shareGroup}/${plain}`;
  return { source: filter, shareGroup, levels, names, mqttFilter, match: compileMatcher(levels) };
}

const NO_VARS: TopicVars = Object.freeze({}) as TopicVars;

/** Builds the captures of a topic, already known to match, from its split levels. */
export function captureVars(levels: readonly FilterLevel[], topicLevels: readonly string[]): TopicVars {
  let vars: TopicVars | undefined;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.kind === 'literal' || level.name === undefined) continue;
    vars ??= {};
    vars[level.name] = level.kind === 'single' ? topicLevels[i]! : joinFrom(topicLevels, i);
  }
  return vars ?? NO_VARS;
}

function joinFrom(parts: readonly string[], from: number): string {
  if (from >= parts.length) return '';
  let out = parts[from]!;
  for (let i = from + 1; i < parts.length; i++) out += '/' + parts[i];
  return out;
}

function compileMatcher(levels: readonly FilterLevel[]): (topic: string) => TopicVars | undefined {
  const last = levels[levels.length - 1]!;
  const multi = last.kind === 'multi';
  const fixed = multi ? levels.length - 1 : levels.length;
  const leadingWildcard = levels[0]!.kind !== 'literal';
  return (topic) => {
    // MQTT: topics starting with $ are not matched by a filter starting with a wildcard.
    if (leadingWildcard && topic.charCodeAt(0) === 36) return undefined;
    const parts = topic.split('/');
    if (multi ? parts.length < fixed : parts.length !== fixed) return undefined;
    for (let i = 0; i < fixed; i++) {
      const level = levels[i]!;
      if (level.kind === 'literal' && level.value !== parts[i]) return undefined;
    }
    return captureVars(levels, parts);
  };
}

/** True when `filter` (plain MQTT or with named wildcards) matches `topic`. */
export function topicMatches(filter: string | TopicFilter, topic: string): boolean {
  const parsed = typeof filter === 'string' ? parseTopicFilter(filter) : filter;
  return parsed.match(topic) !== undefined;
}

import type { FilterLevel, TopicFilter } from '@iiot/core';
import { type Model, SOURCE } from './model.js';

/** True when some topic matches both filters. */
function filtersOverlap(a: readonly FilterLevel[], b: readonly FilterLevel[]): boolean {
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x?.kind === 'multi' || y?.kind === 'multi') return true;
    if (x === undefined || y === undefined) return x === y;
    if (x.kind === 'literal' && y.kind === 'literal' && x.value !== y.value) return false;
  }
}

/** The process variables whose topic filter overlaps `filter` (`#` is the whole broker). */
export function sourcesOnTopic(model: Model, filter: TopicFilter): number[] {
  const out: number[] = [];
  const whole = filter.levels.length === 1 && filter.levels[0]!.kind === 'multi';
  for (let n = 0; n < model.size; n++) {
    if (model.kind[n] !== SOURCE) continue;
    if (whole) {
      out.push(n);
      continue;
    }
    const spec = model.source[n]!;
    const levels = spec.filter?.levels ?? spec.topic.split('/').map((value) => ({ kind: 'literal' as const, value }));
    if (filtersOverlap(filter.levels, levels)) out.push(n);
  }
  return out;
}

import { callFunction } from './apply.js';
import type { Frame } from './frame.js';
import { type Focus, type MatchResult, runMatcher } from './higher-order.js';
import { jsonataError } from './values.js';

/** Expands `$0`, `$1` … `$$` in a replacement string for one regex match. */
function substitute(replacement: string, found: MatchResult): string {
  const groups = found.groups;
  let out = '';
  let position = 0;
  let dollar = replacement.indexOf('$');
  while (dollar !== -1 && position < replacement.length) {
    out += replacement.substring(position, dollar);
    position = dollar + 1;
    const next = replacement.charAt(position);
    if (next === '$') {
      out += '$';
      position++;
    } else if (next === '0') {
      out += found.match;
      position++;
    } else {
      // Read as many digits as the largest group number has, backing off one if that overshoots.
      const maxDigits = groups.length === 0 ? 1 : Math.floor(Math.log(groups.length) * Math.LOG10E) + 1;
      let index = Number.parseInt(replacement.substring(position, position + maxDigits), 10);
      if (maxDigits > 1 && index > groups.length) {
        index = Number.parseInt(replacement.substring(position, position + maxDigits - 1), 10);
      }
      if (Number.isNaN(index)) {
        out += '$';
      } else {
        if (groups.length > 0 && groups[index - 1] !== undefined) out += groups[index - 1];
        position += String(index).length;
      }
    }
    dollar = replacement.indexOf('$', position);
  }
  return out + replacement.substring(position);
}

/** `$replace(str, pattern, replacement, limit)`, synchronously. */
export function replace(
  this: Focus,
  str: string | undefined,
  pattern: unknown,
  replacement: unknown,
  limit: number | undefined,
): unknown {
  if (str === undefined) return undefined;
  if (pattern === '') throw jsonataError('D3010', { value: pattern, index: 2 });
  if (limit !== undefined && limit < 0) throw jsonataError('D3011', { value: limit, index: 4 });
  if (limit !== undefined && limit <= 0) return str;
  const env: Frame = this.environment;
  let result = '';
  let position = 0;
  let count = 0;
  if (typeof pattern === 'string') {
    let index = str.indexOf(pattern, position);
    while (index !== -1 && (limit === undefined || count < limit)) {
      result += str.substring(position, index) + String(replacement);
      position = index + pattern.length;
      count++;
      index = str.indexOf(pattern, position);
    }
    return result + str.substring(position);
  }
  let found = runMatcher(pattern, [str], env);
  if (found === undefined) return str;
  while (found !== undefined && (limit === undefined || count < limit)) {
    result += str.substring(position, found.start);
    const replacedWith =
      typeof replacement === 'string' ? substitute(replacement, found) : callFunction(replacement, [found], env);
    if (typeof replacedWith !== 'string') throw jsonataError('D3012', { value: replacedWith });
    result += replacedWith;
    position = found.start + found.match.length;
    count++;
    found = runMatcher(found.next, [], env);
  }
  return result + str.substring(position);
}

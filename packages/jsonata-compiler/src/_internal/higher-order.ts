// Synchronous versions of the built-ins that jsonata-js implements as async functions because they call
// back into expressions. Each keeps the library's parameter list, so arity-sensitive callers behave alike.
import { arityOf, callbackArgs, callFunction } from './apply.js';
import type { Frame } from './frame.js';
import {
  createSequence,
  isArrayOfNumbers,
  isArrayOfStrings,
  isFunction,
  jsonataError,
  toBoolean,
} from './values.js';

/** The `this` a built-in is called with. */
export interface Focus {
  environment: Frame;
  input: unknown;
}

function map(this: Focus, arr: unknown[] | undefined, func: unknown): unknown {
  if (arr === undefined) return undefined;
  const result = createSequence();
  for (let i = 0; i < arr.length; i++) {
    const res = callFunction(func, callbackArgs(func, arr[i], i, arr), this.environment);
    if (res !== undefined) result.push(res);
  }
  return result;
}

function filter(this: Focus, arr: unknown[] | undefined, func: unknown): unknown {
  if (arr === undefined) return undefined;
  const result = createSequence();
  for (let i = 0; i < arr.length; i++) {
    if (toBoolean(callFunction(func, callbackArgs(func, arr[i], i, arr), this.environment))) result.push(arr[i]);
  }
  return result;
}

function single(this: Focus, arr: unknown[] | undefined, func: unknown): unknown {
  if (arr === undefined) return undefined;
  let found = false;
  let result: unknown;
  for (let i = 0; i < arr.length; i++) {
    const pass =
      func === undefined || toBoolean(callFunction(func, callbackArgs(func, arr[i], i, arr), this.environment));
    if (!pass) continue;
    if (found) throw jsonataError('D3138', { index: i });
    result = arr[i];
    found = true;
  }
  if (!found) throw jsonataError('D3139');
  return result;
}

function foldLeft(this: Focus, sequence: unknown[] | undefined, func: unknown, init: unknown): unknown {
  if (sequence === undefined) return undefined;
  const arity = arityOf(func);
  if (arity < 2) throw jsonataError('D3050', { index: 1 });
  let index = 0;
  let result = init;
  if (init === undefined && sequence.length > 0) {
    result = sequence[0];
    index = 1;
  }
  for (; index < sequence.length; index++) {
    const args = [result, sequence[index]];
    if (arity >= 3) args.push(index);
    if (arity >= 4) args.push(sequence);
    result = callFunction(func, args, this.environment);
  }
  return result;
}

function keysOf(obj: unknown): string[] {
  return typeof obj === 'object' && obj !== null ? Object.keys(obj) : [];
}

function each(this: Focus, obj: Record<string, unknown>, func: unknown): unknown {
  const result = createSequence();
  for (const key of keysOf(obj)) {
    const val = callFunction(func, callbackArgs(func, obj[key], key, obj), this.environment);
    if (val !== undefined) result.push(val);
  }
  return result;
}

function sift(this: Focus, arg: Record<string, unknown>, func: unknown): unknown {
  const result: Record<string, unknown> = Object.create(null);
  let any = false;
  for (const key of keysOf(arg)) {
    if (toBoolean(callFunction(func, callbackArgs(func, arg[key], key, arg), this.environment))) {
      result[key] = arg[key];
      any = true;
    }
  }
  return any ? result : undefined;
}

/** Stable merge sort; `swap(a, b)` true puts `b` before `a`, as in jsonata-js. */
export function mergeSort(arr: readonly unknown[], swap: (a: unknown, b: unknown) => boolean): unknown[] {
  if (arr.length <= 1) return arr as unknown[];
  const middle = Math.floor(arr.length / 2);
  const left = mergeSort(arr.slice(0, middle), swap);
  const right = mergeSort(arr.slice(middle), swap);
  const merged: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length && r < right.length) {
    if (swap(left[l], right[r])) merged.push(right[r++]);
    else merged.push(left[l++]);
  }
  while (l < left.length) merged.push(left[l++]);
  while (r < right.length) merged.push(right[r++]);
  return merged;
}

function sort(this: Focus, arr: unknown[] | undefined, comparator: unknown): unknown {
  if (arr === undefined) return undefined;
  if (arr.length <= 1) return arr;
  if (comparator === undefined) {
    if (!isArrayOfNumbers(arr) && !isArrayOfStrings(arr)) throw jsonataError('D3070', { index: 1 });
    return mergeSort(arr, (a, b) => (a as number) > (b as number));
  }
  return mergeSort(arr, (a, b) => Boolean(callFunction(comparator, [a, b], this.environment)));
}

/** Everything a match found: the shape a regex (or a custom matcher function) returns. */
interface MatchResult {
  match: string;
  start: number;
  end: number;
  groups: string[];
  next: unknown;
}

function runMatcher(matcher: unknown, args: unknown[], env: Frame): MatchResult | undefined {
  const result = callFunction(matcher, args, env) as MatchResult | undefined;
  if (
    result &&
    !(typeof result.start === 'number' || Array.isArray(result.groups) || isFunction(result.next))
  ) {
    throw jsonataError('T1010');
  }
  return result;
}

function contains(this: Focus, str: string | undefined, token: unknown): unknown {
  if (str === undefined || token === undefined) return undefined;
  if (typeof token === 'string') return str.includes(token);
  return runMatcher(token, [str], this.environment) !== undefined;
}

function match(this: Focus, str: string | undefined, regex: unknown, limit: number | undefined): unknown {
  if (str === undefined) return undefined;
  if (limit !== undefined && limit < 0) throw jsonataError('D3040', { value: limit, index: 3 });
  const result = createSequence();
  if (limit !== undefined && limit <= 0) return result;
  let found = runMatcher(regex, [str], this.environment);
  while (found !== undefined && (limit === undefined || result.length < limit)) {
    result.push({ match: found.match, index: found.start, groups: found.groups });
    found = runMatcher(found.next, [], this.environment);
  }
  return result;
}

function split(this: Focus, str: string | undefined, separator: unknown, limit: number | undefined): unknown {
  if (str === undefined) return undefined;
  if (limit !== undefined && limit < 0) throw jsonataError('D3020', { value: limit, index: 3 });
  if (limit !== undefined && limit <= 0) return [];
  if (typeof separator === 'string') return str.split(separator, limit);
  const result: string[] = [];
  let found = runMatcher(separator, [str], this.environment);
  if (found === undefined) return [str];
  let start = 0;
  while (found !== undefined && (limit === undefined || result.length < limit)) {
    result.push(str.substring(start, found.start));
    start = found.end;
    found = runMatcher(found.next, [], this.environment);
  }
  if (limit === undefined || result.length < limit) result.push(str.substring(start));
  return result;
}

export const higherOrder = { map, filter, single, foldLeft, each, sift, sort, contains, match, split };
export { runMatcher, type MatchResult };

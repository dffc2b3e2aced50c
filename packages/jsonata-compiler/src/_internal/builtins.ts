// The function library. Built-ins that jsonata-js implements synchronously are taken from the library
// itself (implementation and signature), so their results and error codes are the reference ones by
// construction. The library implements the rest as async functions; they are replaced here by synchronous
// versions behind the library's own signature validators, as are `$round` and `$fromMillis`, whose common
// cases have faster exact equivalents (falling back to the library's implementation otherwise).
import jsonata from 'jsonata';
import { type Frame, instantOf } from './frame.js';
import { type Focus, higherOrder } from './higher-order.js';
import { ISO_FIRST, ISO_LAST, isoTimestamp } from './iso-date.js';
import { replace } from './replace.js';
import { fastRound } from './round.js';
import type { NativeFunction, Signature } from './values.js';

const LIBRARY_NAMES = [
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter',
  'lowercase', 'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join',
  'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs',
  'sqrt', 'power', 'random', 'boolean', 'not', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys',
  'lookup', 'append', 'exists', 'spread', 'merge', 'reverse', 'each', 'error', 'assert', 'type', 'sort',
  'shuffle', 'distinct', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl',
  'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone', 'now', 'millis',
] as const;

type LibraryName = (typeof LIBRARY_NAMES)[number];

const library = (await jsonata(`{${LIBRARY_NAMES.map((n) => `"${n}": $${n}`).join(', ')}}`).evaluate(
  undefined,
)) as Record<LibraryName, NativeFunction>;

/** Evaluates a JSONata expression string synchronously in a scope; provided by the compiler (`$eval`). */
export type EvalHook = (expression: string, input: unknown, env: Frame) => unknown;
let evalHook: EvalHook | undefined;

/** Installs the compiler behind `$eval` (the compiler imports this module, not the other way round). */
export function setEvalHook(hook: EvalHook): void {
  evalHook = hook;
}

const libraryFromMillis = library.fromMillis.implementation as (ms: number, picture?: string, tz?: string) => string;

function fromMillis(ms: number, picture?: string, timezone?: string): string {
  if (picture === undefined && timezone === undefined && Number.isInteger(ms) && ms >= ISO_FIRST && ms <= ISO_LAST) {
    return isoTimestamp(ms);
  }
  return libraryFromMillis(ms, picture, timezone);
}

let lastNow = { ms: Number.NaN, iso: '' };

function now(this: Focus, picture?: string, timezone?: string): string {
  const ms = instantOf(this.environment.run);
  if (picture !== undefined || timezone !== undefined) return fromMillis(ms, picture, timezone);
  if (lastNow.ms !== ms) lastNow = { ms, iso: fromMillis(ms) };
  return lastNow.iso;
}

function millis(this: Focus): number {
  return instantOf(this.environment.run);
}

function evaluateString(this: Focus, expr: string | undefined, focus: unknown): unknown {
  if (expr === undefined) return undefined;
  if (!evalHook) throw new Error('the compiler has not installed $eval');
  return evalHook(expr, focus === undefined ? this.input : focus, this.environment);
}

const replacements: Partial<Record<LibraryName, (this: Focus, ...args: never[]) => unknown>> = {
  map: higherOrder.map,
  filter: higherOrder.filter,
  single: higherOrder.single,
  reduce: higherOrder.foldLeft,
  each: higherOrder.each,
  sift: higherOrder.sift,
  sort: higherOrder.sort,
  contains: higherOrder.contains,
  match: higherOrder.match,
  split: higherOrder.split,
  replace,
  now,
  millis,
  eval: evaluateString,
  fromMillis,
  round: fastRound(library.round.implementation as Parameters<typeof fastRound>[0]),
};

/** Every built-in function by name (without `$`). */
export const builtins: ReadonlyMap<string, unknown> = new Map(
  LIBRARY_NAMES.map((name) => {
    const own = replacements[name];
    const lib = library[name];
    const fn: NativeFunction = own
      ? { _jsonata_function: true, implementation: own as NativeFunction['implementation'], signature: lib.signature }
      : lib;
    return [name, fn];
  }),
);

/** The library's `$string` (JSON serialisation with JSONata's number formatting). */
export const stringify = library.string.implementation as (value: unknown) => string;
/** The signature of the function a transform expression `| … | … |` evaluates to. */
export const transformSignature = (jsonata('function($o)<(oa):o>{$o}').ast() as unknown as { signature: Signature }).signature;

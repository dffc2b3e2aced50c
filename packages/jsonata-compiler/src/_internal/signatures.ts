// Argument validation against a function signature (`<s-nn?:s>`). The library's validator builds a type
// string and matches it with a regex on every call; this one checks the common, unambiguous case directly:
// every argument matches its own parameter and every missing one is optional. Anything else (a type
// mismatch, a context substitution, `+`) goes to the library's validator, which then decides and throws.
import { isFunction, type Signature } from './values.js';

interface Param {
  /** The type symbols this parameter accepts, as in the library (`m`: missing/undefined), as a set of `BITS`. */
  accepts: number;
  optional: boolean;
  context: boolean;
  array: boolean;
  subtype: string | undefined;
}

const ACCEPTS: Record<string, string> = { s: 'sm', n: 'nm', b: 'bm', l: 'lm', o: 'om', a: 'asnblfom', f: 'f', j: 'asnblom', x: 'asnblfom' };
const BITS: Readonly<Record<string, number>> = { s: 1, n: 2, b: 4, l: 8, a: 16, o: 32, f: 64, m: 128 };

/** The set of symbols a parameter accepts; symbols no value has (inside a choice) add nothing. */
function maskOf(symbols: string): number {
  let mask = 0;
  for (const symbol of symbols) mask |= BITS[symbol] ?? 0;
  return mask;
}

/** Parses the parameter part of a signature definition, or `undefined` for forms left to the library. */
function parseParams(definition: string): Param[] | undefined {
  const params: Param[] = [];
  for (let i = 1; i < definition.length; i++) {
    const c = definition[i]!;
    const last = params[params.length - 1];
    if (c === ':' || c === '>') break;
    if (ACCEPTS[c]) {
      params.push({ accepts: maskOf(ACCEPTS[c]!), optional: false, context: false, array: c === 'a', subtype: undefined });
    } else if (c === '(') {
      const end = definition.indexOf(')', i);
      const choice = definition.substring(i + 1, end);
      if (end < 0 || choice.includes('<')) return undefined;
      params.push({ accepts: maskOf(`${choice}m`), optional: false, context: false, array: false, subtype: undefined });
      i = end;
    } else if (c === '<' && last) {
      const end = definition.indexOf('>', i);
      const subtype = definition.substring(i + 1, end);
      if (end < 0 || subtype.includes('<')) return undefined;
      if (last.array) last.subtype = subtype;
      i = end;
    } else if (c === '?' && last) {
      last.optional = true;
    } else if (c === '-' && last) {
      last.optional = true;
      last.context = true;
    } else {
      return undefined;
    }
  }
  return params;
}

function symbolOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 's';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'function':
      return 'f';
    case 'object':
      if (value === null) return 'l';
      return isFunction(value) ? 'f' : Array.isArray(value) ? 'a' : 'o';
    default:
      return 'm';
  }
}

function sameTypeItems(items: readonly unknown[], subtype: string): boolean {
  if (items.length === 0) return true;
  const first = symbolOf(items[0]);
  if (first !== subtype[0]) return false;
  for (let i = 1; i < items.length; i++) if (symbolOf(items[i]) !== first) return false;
  return true;
}

/**
 * Validates `args` quickly when every argument sits in its own parameter; `undefined` means "ask the library".
 * The arguments come back as they are unless a missing optional one is filled in or a value is wrapped into
 * the array its parameter expects.
 */
function quickValidate(params: readonly Param[], args: unknown[]): unknown[] | undefined {
  if (args.length > params.length) return undefined;
  let out = args;
  if (args.length < params.length) {
    out = new Array(params.length);
    for (let i = 0; i < params.length; i++) {
      if (i >= args.length && (!params[i]!.optional || params[i]!.context)) return undefined;
      out[i] = args[i];
    }
  }
  for (let i = 0; i < args.length; i++) {
    const param = params[i]!;
    const arg = args[i];
    const symbol = symbolOf(arg);
    if ((param.accepts & BITS[symbol]!) === 0) return undefined;
    if (!param.array || symbol === 'm' || symbol === 'a') {
      if (param.subtype !== undefined && symbol === 'a' && !sameTypeItems(arg as unknown[], param.subtype)) return undefined;
    } else {
      if (param.subtype !== undefined && symbol !== param.subtype) return undefined;
      if (out === args) out = args.slice();
      out[i] = [arg];
    }
  }
  return out;
}

const parsed = new WeakMap<Signature, Param[] | null>();

/** Validates arguments against a signature exactly as the library does, quickly in the common case. */
export function validateArgs(signature: Signature, args: unknown[], context: unknown): unknown[] {
  let params = parsed.get(signature);
  if (params === undefined) {
    const definition = (signature as { definition?: unknown }).definition;
    params = (typeof definition === 'string' ? parseParams(definition) : undefined) ?? null;
    parsed.set(signature, params);
  }
  return (params && quickValidate(params, args)) ?? signature.validate(args, context);
}

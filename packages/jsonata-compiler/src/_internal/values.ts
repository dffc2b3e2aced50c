// The value model is jsonata-js's own: a sequence is an array flagged `sequence`, functions are objects
// flagged `_jsonata_function` / `_jsonata_lambda`. Keeping the same flags lets the library's built-in
// implementations and signature validators work on values this evaluator produces.

/** An array that JSONata treats as a sequence (flattened, singleton-collapsed). */
export type Sequence = unknown[] & {
  sequence?: boolean;
  keepSingleton?: boolean;
  outerWrapper?: boolean;
  tupleStream?: boolean;
  cons?: boolean;
};

/** A tuple of a tuple stream: `@` is the context item, other keys are focus/index/parent bindings. */
export type Tuple = Record<string, unknown>;

/** A JSONata function signature validator as produced by the library's parser. */
export interface Signature {
  validate(args: unknown[], context: unknown): unknown[];
}

/** A built-in (native) function value. */
export interface NativeFunction {
  _jsonata_function: true;
  implementation: (...args: never[]) => unknown;
  signature?: Signature;
}

/** Creates an empty sequence, or a sequence holding one item (even `undefined`, when passed explicitly). */
export function createSequence(item?: unknown): Sequence {
  // `arguments.length` rather than a rest parameter, which would allocate an array on every call.
  // biome-ignore lint/complexity/noArguments: tells an explicit `undefined` from no argument without allocating.
  const seq: Sequence = arguments.length === 1 ? [item] : [];
  seq.sequence = true;
  return seq;
}

/** True for a flagged sequence. */
export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

/** A finite number (NaN is not numeric; Infinity is an error, as in JSONata). */
export function isNumeric(n: unknown): n is number {
  if (typeof n !== 'number' || Number.isNaN(n)) return false;
  if (!Number.isFinite(n)) throw jsonataError('D1001', { value: n });
  return true;
}

/** True for lambdas, built-ins and plain JavaScript functions. */
export function isFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object') return false;
  const v = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return v._jsonata_function === true || v._jsonata_lambda === true;
}

/** True when every member of an array is a string. */
export function isArrayOfStrings(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** True when every member of an array is a number. */
export function isArrayOfNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => isNumeric(v));
}

/** JSONata's deep equality (`=`): arrays by position, objects by key set. */
export function deepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs !== 'object' || typeof rhs !== 'object' || lhs === null || rhs === null) return false;
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    if (lhs.length !== rhs.length) return false;
    for (let i = 0; i < lhs.length; i++) if (!deepEqual(lhs[i], rhs[i])) return false;
    return true;
  }
  const lkeys = Object.getOwnPropertyNames(lhs).sort();
  const rkeys = Object.getOwnPropertyNames(rhs).sort();
  if (lkeys.length !== rkeys.length) return false;
  for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false;
  const l = lhs as Record<string, unknown>;
  const r = rhs as Record<string, unknown>;
  for (const key of lkeys) if (!deepEqual(l[key], r[key])) return false;
  return true;
}

/** JSONata's effective boolean value; `undefined` stays `undefined`. */
export function toBoolean(arg: unknown): boolean | undefined {
  if (arg === undefined) return undefined;
  if (Array.isArray(arg)) {
    if (arg.length === 1) return toBoolean(arg[0]);
    return arg.length > 1 && arg.some((v) => toBoolean(v));
  }
  if (typeof arg === 'string') return arg.length > 0;
  if (typeof arg === 'boolean') return arg;
  if (isNumeric(arg)) return arg !== 0;
  if (arg !== null && typeof arg === 'object' && !isFunction(arg)) return Object.keys(arg).length > 0;
  return false;
}

/** Appends two values into one sequence the way JSONata does (`undefined` disappears). */
export function append(arg1: unknown, arg2: unknown): unknown {
  if (arg1 === undefined) return arg2;
  if (arg2 === undefined) return arg1;
  const a1 = Array.isArray(arg1) ? arg1 : createSequence(arg1);
  const a2 = Array.isArray(arg2) ? arg2 : [arg2];
  // The concatenation is a plain array: like jsonata-js, appending drops the sequence flag.
  return a1.concat(a2);
}

/** A JSONata runtime error, thrown in the same shape as jsonata-js throws it. */
export interface JsonataErrorObject {
  code: string;
  position?: number;
  token?: string;
  value?: unknown;
  value2?: unknown;
  message?: string;
  stack?: string;
  [key: string]: unknown;
}

/** Creates a JSONata-shaped error; its message is filled in when it leaves the evaluator. */
export function jsonataError(code: string, fields: Omit<JsonataErrorObject, 'code'> = {}): JsonataErrorObject {
  return { code, ...fields, stack: new Error(code).stack };
}

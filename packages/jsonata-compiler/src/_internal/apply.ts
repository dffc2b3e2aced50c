import { checkTime, enterCall, type Frame } from './frame.js';
import { validateArgs } from './signatures.js';
import { createSequence, isFunction, jsonataError, type NativeFunction, type Signature } from './values.js';

/** A compiled expression: evaluates against a context value in a scope. */
export type Evaluator = (input: unknown, env: Frame) => unknown;

/** A function defined in an expression (`function($x) { … }`), or a partial application. */
export interface Lambda {
  _jsonata_lambda: true;
  input: unknown;
  environment: Frame;
  /** Parameter names, without `$`. */
  arguments: readonly { value: string }[];
  signature?: Signature | undefined;
  body: Evaluator;
  /** Set on the thunk of a tail call: the call is evaluated by the trampoline in `apply`. */
  thunk?: TailCall;
}

/** The deferred call a tail-call thunk stands for. */
export interface TailCall {
  procedure: Evaluator;
  args: readonly Evaluator[];
  token: string | undefined;
  position: number;
}

/** True for a lambda value. */
export function isLambda(value: unknown): value is Lambda {
  return typeof value === 'object' && value !== null && (value as Lambda)._jsonata_lambda === true;
}

/** The declared arity of any function value, the way jsonata-js counts it for higher-order functions. */
export function arityOf(func: unknown): number {
  const f = func as { arity?: unknown; implementation?: unknown; length?: unknown; arguments?: unknown[] };
  if (typeof f.arity === 'number') return f.arity;
  if (typeof f.implementation === 'function') return f.implementation.length;
  if (typeof f.length === 'number') return f.length;
  return f.arguments?.length ?? 0;
}

/** The arguments a higher-order function passes to its callback: as many as the callback declares. */
export function callbackArgs(func: unknown, value: unknown, index: unknown, whole: unknown): unknown[] {
  const arity = arityOf(func);
  if (arity >= 3) return [value, index, whole];
  if (arity === 2) return [value, index];
  return [value];
}

/** Applies any function value to arguments, running tail calls in a loop rather than on the stack. */
export function apply(proc: unknown, args: unknown[], input: unknown, env: Frame, siteDepth = 0): unknown {
  const run = env.run;
  const base = run.depth;
  enterCall(run, siteDepth);
  try {
    let result = isNative(proc) ? applyNative(proc, args, input, env) : applyInner(proc, args, input, env);
    while (isLambda(result) && result.thunk) {
      checkTime(run);
      const thunk: Lambda = result;
      const call = result.thunk;
      const next = call.procedure(thunk.input, thunk.environment);
      const nextArgs = call.args.map((arg) => arg(thunk.input, thunk.environment));
      result = applyInner(next, nextArgs, input, env, call.token, call.position);
    }
    return result;
  } finally {
    run.depth = base;
  }
}

/** A built-in (and not also flagged as a lambda, which `applyInner` would treat as one). */
function isNative(proc: unknown): proc is NativeFunction {
  return proc !== null && typeof proc === 'object' && (proc as NativeFunction)._jsonata_function === true && !isLambda(proc);
}

/** The common case of `applyInner`, a built-in called directly, without its error annotation (nothing to add). */
function applyNative(proc: NativeFunction, args: unknown[], input: unknown, env: Frame): unknown {
  const validated = proc.signature ? validateArgs(proc.signature, args, input) : args;
  return proc.implementation.apply({ environment: env, input, createSequence }, validated as never[]);
}

function applyInner(
  proc: unknown,
  args: unknown[],
  input: unknown,
  env: Frame,
  token?: string,
  position?: number,
): unknown {
  try {
    const p = proc as { signature?: Signature; _jsonata_function?: boolean } | undefined;
    const validated = p?.signature ? validateArgs(p.signature, args, input) : args;
    if (isLambda(proc)) return applyLambda(proc, validated);
    if (p?._jsonata_function === true) {
      const focus = { environment: env, input, createSequence };
      return (proc as NativeFunction).implementation.apply(focus, validated as never[]);
    }
    if (typeof proc === 'function') return proc.apply(input, validated);
    throw jsonataError('T1006');
  } catch (err) {
    if (proc !== undefined && err !== null && typeof err === 'object') {
      const e = err as { token?: string; position?: number };
      if (e.token === undefined && token !== undefined) e.token = token;
      if (position !== undefined) e.position = position;
    }
    throw err;
  }
}

function applyLambda(proc: Lambda, args: readonly unknown[]): unknown {
  const frame = proc.environment.child();
  const params = proc.arguments;
  for (let i = 0; i < params.length; i++) frame.bind(params[i]!.value, args[i]);
  return proc.body(proc.input, frame);
}

/** Marker of a `?` placeholder in a partial application. */
export const PLACEHOLDER: unique symbol = Symbol('placeholder');

/** Partially applies a function value: binds the given arguments, returns a lambda over the `?` ones. */
export function partial(proc: unknown, args: readonly unknown[], env: Frame): Lambda | undefined {
  if (isLambda(proc)) return partialLambda(proc, proc.arguments, args, env);
  let implementation: ((...a: unknown[]) => unknown) | undefined;
  if (proc !== null && typeof proc === 'object' && (proc as NativeFunction)._jsonata_function === true) {
    implementation = (proc as NativeFunction).implementation as (...a: unknown[]) => unknown;
  } else if (typeof proc === 'function') {
    implementation = proc as (...a: unknown[]) => unknown;
  }
  if (!implementation) return undefined;
  const native = implementation;
  // Parameter names cannot clash with expression variables: they are not valid JSONata names.
  const params = Array.from({ length: native.length }, (_, i) => ({ value: ` ${i}` }));
  const wrapper: Lambda = {
    _jsonata_lambda: true,
    input: undefined,
    environment: env,
    arguments: params,
    body: (input, frame) => native.apply({ environment: frame, input, createSequence }, params.map((p) => frame.lookup(p.value))),
  };
  return partialLambda(wrapper, params, args, env);
}

function partialLambda(proc: Lambda, params: Lambda['arguments'], args: readonly unknown[], env: Frame): Lambda {
  const frame = (proc.environment ?? env).child();
  const unbound: { value: string }[] = [];
  params.forEach((param, i) => {
    if (args[i] === PLACEHOLDER) unbound.push(param);
    else frame.bind(param.value, args[i]);
  });
  return { _jsonata_lambda: true, input: proc.input, environment: frame, arguments: unbound, body: proc.body };
}

/** Calls a function value from a built-in (a callback of `$map`, `$sort` …). */
export function callFunction(func: unknown, args: unknown[], env: Frame): unknown {
  if (!isFunction(func)) throw jsonataError('T1006');
  return apply(func, args, null, env);
}

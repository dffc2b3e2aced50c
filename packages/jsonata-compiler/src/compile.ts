import jsonata from 'jsonata';
import type { Evaluator } from './_internal/apply.js';
import { builtins, setEvalHook } from './_internal/builtins.js';
import { annotateDepths, Frame, type Run } from './_internal/frame.js';
import { type AstNode, compileNode, NotCompiled } from './_internal/node.js';
import { finishError } from './_internal/messages.js';
import { createSequence, isSequence, jsonataError, type Sequence } from './_internal/values.js';

/** Options of `compile()`. */
export interface CompileOptions {
  /** Evaluate with the jsonata-js interpreter even if the expression compiles. @default false */
  interpreter?: boolean;
  /** Variables (values or synchronous functions) bound for every evaluation, by name without `$`. @default {} */
  bindings?: Readonly<Record<string, unknown>>;
  /** Time limit of one evaluation in milliseconds, error D1012 when exceeded (0: none). @default 0 */
  timeout?: number;
  /**
   * Maximum evaluation depth, counted as jsonata-js counts nested evaluation steps (its `stack` option);
   * error D1011 when exceeded (0: none). The compiled path checks it at each function call. @default 0
   */
  maxDepth?: number;
}

/** An expression turned into closures: `evaluate` runs synchronously. */
export interface CompiledExpression {
  readonly path: 'compiled';
  readonly expression: string;
  /** Evaluates against an input document; `bindings` add variables for this call only. Throws JSONata errors. */
  evaluate(input: unknown, bindings?: Readonly<Record<string, unknown>>): unknown;
}

/** An expression left to the jsonata-js interpreter: `evaluate` returns a promise. */
export interface InterpretedExpression {
  readonly path: 'interpreter';
  readonly expression: string;
  /** Why the expression runs on the interpreter (a construct the compiler leaves out, or the option). */
  readonly reason: string;
  /** Evaluates against an input document; `bindings` add variables for this call only. Rejects with JSONata errors. */
  evaluate(input: unknown, bindings?: Readonly<Record<string, unknown>>): Promise<unknown>;
}

/** The result of `compile()`: `path` says which of the two it is. */
export type JsonataExpression = CompiledExpression | InterpretedExpression;

/**
 * Parses a JSONata expression with the jsonata library's own parser (syntax errors are thrown exactly as
 * jsonata-js throws them) and compiles it into synchronous closures, or falls back to the interpreter.
 */
export function compile(expression: string, options: CompileOptions = {}): JsonataExpression {
  const { interpreter = false, bindings = {}, timeout = 0, maxDepth = 0 } = options;
  const parsed = jsonata(expression);
  const asyncBinding = Object.keys(bindings).find((k) => isAsyncFunction(bindings[k]));
  let reason = interpreter ? 'the interpreter was requested' : undefined;
  if (!reason && asyncBinding) reason = `binding $${asyncBinding} is an async function`;
  let root: Evaluator | undefined;
  if (!reason) {
    try {
      root = compileAst(parsed.ast());
    } catch (err) {
      if (!(err instanceof NotCompiled)) throw err;
      reason = `not compiled: ${err.reason}`;
    }
  }
  if (!root) return interpret(expression, reason ?? 'not compiled', options);
  const globals = new Map(builtins);
  for (const [name, value] of Object.entries(bindings)) globals.set(name, value);
  const compiled = root;
  return {
    path: 'compiled',
    expression,
    evaluate(input, callBindings) {
      // With a time limit the clock is read now anyway, and that reading is the evaluation's instant.
      const start = timeout > 0 ? Date.now() : Number.NaN;
      const deadline = timeout > 0 ? start + timeout : 0;
      const run: Run = { timestamp: start, depth: 0, maxDepth, deadline, timeout, input, bindings: callBindings, globals };
      return evaluateRoot(compiled, input, new Frame(undefined, run));
    },
  };
}

function evaluateRoot(root: Evaluator, input: unknown, env: Frame): unknown {
  let context = input;
  // A JSON array input is wrapped in a singleton sequence so that it is treated as one value.
  if (Array.isArray(input) && !isSequence(input)) {
    const wrapper: Sequence = createSequence(input);
    wrapper.outerWrapper = true;
    context = wrapper;
  }
  try {
    return root(context, env);
  } catch (err) {
    throw finishError(err);
  }
}

function interpret(expression: string, reason: string, options: CompileOptions): InterpretedExpression {
  const { bindings = {}, timeout = 0, maxDepth = 0 } = options;
  const instance = jsonata(expression, {
    ...(timeout > 0 ? { timeout } : {}),
    ...(maxDepth > 0 ? { stack: maxDepth } : {}),
  });
  return {
    path: 'interpreter',
    expression,
    reason,
    evaluate: (input, callBindings) => instance.evaluate(input, { ...bindings, ...callBindings }),
  };
}

function compileAst(ast: unknown): Evaluator {
  annotateDepths(ast);
  return compileNode(ast as AstNode);
}

function isAsyncFunction(value: unknown): boolean {
  return typeof value === 'function' && value.constructor.name === 'AsyncFunction';
}

// `$eval(expr, context)` parses and compiles its argument at run time and evaluates it in the caller's scope.
setEvalHook((expr, focus, env) => {
  let root: Evaluator;
  try {
    root = compileAst(jsonata(expr).ast());
  } catch (err) {
    if (err instanceof NotCompiled) throw jsonataError('D3121', { value: err.reason });
    throw jsonataError('D3120', { value: finishError(err).message, error: err });
  }
  let context = focus;
  if (Array.isArray(focus) && !isSequence(focus)) {
    context = createSequence(focus);
    (context as Sequence).outerWrapper = true;
  }
  try {
    return root(context, env);
  } catch (err) {
    throw jsonataError('D3121', { value: finishError(err).message, error: err });
  }
});

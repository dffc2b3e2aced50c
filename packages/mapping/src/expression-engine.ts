import { compile } from '@iiot/jsonata-compiler';
import jsonata from 'jsonata';
import { MappingError, describeCause } from './errors.js';

/** An expression compiled once; `evaluate` runs it for one message. */
export interface CompiledExpression {
  /**
   * The result for `input` with the named `bindings` (`$context`, `$last`). May return the value directly
   * (a synchronous engine: the pipeline then skips the promise machinery) or a native `Promise` of it.
   */
  evaluate(input: unknown, bindings: Record<string, unknown>): unknown;
}

/** The seam between rules and the expression language: compile once per rule, evaluate per message. */
export interface ExpressionEngine {
  /** Compiles `expression`; throws on a syntax error (the pipeline reports it as `EXPRESSION_INVALID`). */
  compile(expression: string): CompiledExpression;
}

/** Options of the default engine. */
export interface JsonataEngineOptions {
  /**
   * Evaluate with the `jsonata` interpreter (asynchronous) instead of compiling expressions into synchronous
   * closures (`@iiot/jsonata-compiler`, which itself falls back to the interpreter for what it does not compile).
   * @default false
   */
  interpreter?: boolean;
  /** Abort an evaluation that runs longer than this many milliseconds. @default undefined (no limit) */
  timeout?: number;
  /** Abort an evaluation that recurses deeper than this. @default undefined (no limit) */
  stack?: number;
}

/** The `$names` an expression refers to; `eval` among them means any binding may be reached. */
export function variablesOf(node: unknown, found = new Set<string>(), seen = new Set<object>()): Set<string> {
  if (node === null || typeof node !== 'object' || seen.has(node)) return found;
  seen.add(node);
  const { type, value } = node as { type?: unknown; value?: unknown };
  if (type === 'variable' && typeof value === 'string') found.add(value);
  for (const child of Object.values(node)) variablesOf(child, found, seen);
  return found;
}

/**
 * The default engine: JSONata compiled by `@iiot/jsonata-compiler` into synchronous closures, with the exact
 * semantics of the `jsonata` library (2.x); with `interpreter: true`, that library's asynchronous interpreter.
 */
export function createJsonataEngine(options: JsonataEngineOptions = {}): ExpressionEngine {
  if (!options.interpreter) {
    const guard = { timeout: options.timeout ?? 0, maxDepth: options.stack ?? 0 };
    return { compile: (expression) => compile(expression, guard) };
  }
  return createInterpreterEngine(options);
}

/**
 * The interpreter: the `jsonata` library, which evaluates asynchronously. Bindings an expression does not
 * refer to are not passed, since binding costs jsonata measurable time per evaluation.
 */
function createInterpreterEngine(options: JsonataEngineOptions): ExpressionEngine {
  const guard = options.timeout !== undefined || options.stack !== undefined ? options : undefined;
  return {
    compile(expression) {
      const compiled = jsonata(expression, guard);
      const names = variablesOf(compiled.ast());
      if (names.has('eval')) return { evaluate: (input, bindings) => compiled.evaluate(input, bindings) };
      return {
        evaluate(input, bindings) {
          let used: Record<string, unknown> | undefined;
          for (const name in bindings) {
            if (names.has(name)) (used ??= {})[name] = bindings[name];
          }
          return compiled.evaluate(input, used);
        },
      };
    },
  };
}

let shared: ExpressionEngine | undefined;
/** The engine rules use when none is given. */
export function defaultEngine(): ExpressionEngine {
  shared ??= createJsonataEngine();
  return shared;
}

/** Compiles through `engine`, turning a syntax error into `EXPRESSION_INVALID` that names the rule. */
export function compileExpression(engine: ExpressionEngine, expression: unknown, where: string): CompiledExpression {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new MappingError('RULE_INVALID', `${where} needs an expression (a JSONata string).`);
  }
  try {
    return engine.compile(expression);
  } catch (cause) {
    throw new MappingError(
      'EXPRESSION_INVALID',
      `${where}: the expression does not compile: ${describeCause(cause)}. Expression: ${expression.trim().slice(0, 200)}`,
      { cause, details: { expression } },
    );
  }
}

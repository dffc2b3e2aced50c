import { compile as compileJsonata } from '@iiot/jsonata-compiler';

/** A compiled expression; `evaluate` is synchronous and throws when the expression fails on this input. */
export interface CompiledExpression {
  evaluate(input: unknown, bindings?: Readonly<Record<string, unknown>>): unknown;
}

/**
 * The seam through which derived values and source value pickers are computed. `compile` throws on an
 * expression it cannot run synchronously, so the problem shows when the graph is loaded.
 */
export interface ExpressionEngine {
  compile(expression: string): CompiledExpression;
}

/**
 * The default engine: JSONata compiled by `@iiot/jsonata-compiler` into synchronous closures, with the
 * results and error codes of the `jsonata` library. An expression the compiler would leave to the
 * asynchronous interpreter is rejected at load time, with the compiler's reason.
 */
export function createSyncJsonataEngine(): ExpressionEngine {
  return { compile };
}

// A plant repeats the same few expressions on thousands of properties, and each compilation runs the jsonata
// parser, which builds the library's whole function environment: compile each text once. Bounded, so
// reconfiguring forever cannot grow it.
const compiled = new Map<string, CompiledExpression>();
const MAX_COMPILED = 1024;

function compile(expression: string): CompiledExpression {
  let result = compiled.get(expression);
  if (!result) {
    const candidate = compileJsonata(expression);
    if (candidate.path === 'interpreter') {
      throw new Error(
        `the expression would run only on the asynchronous jsonata interpreter (${candidate.reason}), but twin values are computed synchronously; rewrite that part of the expression`,
      );
    }
    result = candidate;
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(expression, result);
  }
  return result;
}

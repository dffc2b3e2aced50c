import jsonata from 'jsonata';
import { type AstNode, evaluateNode } from './_internal/jsonata-sync.js';

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
 * The built-in evaluator: parses with the `jsonata` library and runs synchronously the part of JSONata that
 * derived values need (paths, arithmetic, comparisons, `and`/`or`, `?:`, `&`, array constructors, blocks and
 * `$sum $max $min $average $count $abs $round $floor $ceil $sqrt $power $number $string $boolean $not $exists`).
 * Anything else is rejected at load time; pass a fuller synchronous engine as `engine` to go further.
 */
export function createSyncJsonataEngine(): ExpressionEngine {
  return { compile };
}

// A plant repeats the same few expressions on thousands of properties, and each jsonata() call builds the
// library's whole function environment: compile each text once. Bounded, so reconfiguring forever cannot grow it.
const compiled = new Map<string, CompiledExpression>();
const MAX_COMPILED = 1024;

function compile(expression: string): CompiledExpression {
  let result = compiled.get(expression);
  if (!result) {
    const ast = jsonata(expression).ast() as AstNode;
    checkSupported(ast);
    result = { evaluate: (input, bindings) => evaluateNode(ast, input, bindings ?? {}) };
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(expression, result);
  }
  return result;
}

const FUNCTIONS = new Set([
  'sum', 'max', 'min', 'average', 'count', 'abs', 'round', 'floor', 'ceil', 'sqrt', 'power',
  'number', 'string', 'boolean', 'not', 'exists',
]);
const BINARY = new Set(['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&']);

function unsupported(what: string, node: AstNode): Error {
  return new Error(`${what} (at character ${node.position ?? '?'}) cannot be evaluated synchronously by the built-in evaluator`);
}

function checkSupported(node: AstNode): void {
  switch (node.type) {
    case 'number':
    case 'string':
    case 'value':
      return;
    case 'variable':
      if (node.stages || node.predicate) throw unsupported('a predicate', node);
      return;
    case 'path':
      for (const [i, step] of node.steps!.entries()) {
        const ok = step.type === 'name' || (i === 0 && step.type === 'variable');
        if (!ok || step.stages || step.predicate || step.group || step.keepArray) throw unsupported(`the path step "${step.value}"`, step);
      }
      return;
    case 'binary':
      if (!BINARY.has(node.value as string)) throw unsupported(`the operator "${node.value}"`, node);
      checkSupported(node.lhs!);
      checkSupported(node.rhs!);
      return;
    case 'unary':
      if (node.value === '-') checkSupported(node.expression!);
      else if (node.value === '[') node.expressions!.forEach(checkSupported);
      else throw unsupported('an object constructor', node);
      return;
    case 'condition':
      checkSupported(node.condition!);
      checkSupported(node.then!);
      if (node.else) checkSupported(node.else);
      return;
    case 'block':
      node.expressions!.forEach(checkSupported);
      return;
    case 'function': {
      const proc = node.procedure!;
      if (proc.type !== 'variable' || !FUNCTIONS.has(proc.value as string)) {
        throw unsupported(`the function ${proc.type === 'variable' ? `$${proc.value}` : 'call'}`, node);
      }
      node.arguments!.forEach(checkSupported);
      return;
    }
    default:
      throw unsupported(`"${node.type}"`, node);
  }
}

// The dispatcher: turns each AST node (as produced by jsonata-js's parser) into a closure.
import type { Evaluator } from './apply.js';
import { compileApply, compileFunctionCall, compileLambda, compilePartial } from './calls.js';
import { compileGroup, compileObjectConstructor } from './group.js';
import { compileBinary, compileNegation } from './operators.js';
import { compileFilter, compilePath } from './path.js';
import { compileRegex } from './regex.js';
import { compileTransform } from './transform.js';
import { append, createSequence, isFunction, type Sequence, toBoolean } from './values.js';

/** A node of the jsonata-js AST (after its post-parse processing). */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  [key: string]: unknown;
}

/** Compiles a child node. */
export type NodeCompiler = (node: AstNode) => Evaluator;

/** Thrown while compiling when an expression needs a construct the compiler leaves to the interpreter. */
export class NotCompiled extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Compiles a node, with its predicates, grouping and JSONata's singleton-sequence collapsing. */
export function compileNode(node: AstNode): Evaluator {
  let evaluate = compileCore(node);
  const predicates = node.predicate as { expr: AstNode }[] | undefined;
  if (predicates) {
    for (const predicate of predicates) {
      const inner = evaluate;
      const filter = compileFilter(predicate.expr, compileNode);
      evaluate = (input, env) => filter(inner(input, env), env);
    }
  }
  if (node.type !== 'path' && node.group) {
    const inner = evaluate;
    const group = compileGroup(node.group as AstNode, compileNode);
    evaluate = (input, env) => group(inner(input, env), env);
  }
  if (!predicates && node.keepArray !== true && neverSequence(node)) return evaluate;
  const keepArray = node.keepArray === true;
  const inner = evaluate;
  return (input, env) => {
    const result = inner(input, env) as Sequence;
    if (!Array.isArray(result) || result.sequence !== true || result.tupleStream) return result;
    if (keepArray) result.keepSingleton = true;
    if (result.length === 0) return undefined;
    if (result.length === 1) return result.keepSingleton ? result : result[0];
    return result;
  };
}

/** Nodes whose value is never a sequence, so collapsing it would be a no-op. */
function neverSequence(node: AstNode): boolean {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
    case 'lambda':
    case 'regex':
    case 'transform':
      return true;
    case 'unary':
      return node.value === '{' || node.value === '-';
    case 'binary':
      return node.value !== '..';
    default:
      return false;
  }
}

function compileCore(node: AstNode): Evaluator {
  switch (node.type) {
    case 'path':
      return compilePath(node, compileNode, node.group ? compileGroup(node.group as AstNode, compileNode) : undefined);
    case 'binary':
      return compileBinary(node, compileNode);
    case 'unary':
      if (node.value === '-') return compileNegation(node, compileNode);
      if (node.value === '[') return compileArray(node);
      return compileObjectConstructor(node, compileNode);
    case 'name':
      return compileName(node.value as string);
    case 'string':
    case 'number':
    case 'value': {
      const value = node.value;
      return () => value;
    }
    case 'wildcard':
      return wildcard;
    case 'descendant':
      return descendants;
    case 'parent': {
      const label = (node.slot as { label: string }).label;
      return (_input, env) => env.lookup(label);
    }
    case 'condition':
      return compileCondition(node);
    case 'block':
      return compileBlock(node);
    case 'bind': {
      const name = (node.lhs as AstNode).value as string;
      const rhs = compileNode(node.rhs as AstNode);
      return (input, env) => {
        const value = rhs(input, env);
        env.bind(name, value);
        return value;
      };
    }
    case 'regex':
      return compileRegex(node);
    case 'function':
      return compileFunctionCall(node, compileNode);
    case 'variable':
      return compileVariable(node.value as string);
    case 'lambda':
      return compileLambda(node, compileNode);
    case 'partial':
      return compilePartial(node, compileNode);
    case 'apply':
      return compileApply(node, compileNode);
    case 'transform':
      return compileTransform(node, compileNode);
    default:
      throw new NotCompiled(`node type '${node.type}'`);
  }
}

function compileName(name: string): Evaluator {
  const lookup = (input: unknown): unknown => {
    if (Array.isArray(input)) {
      const result = createSequence();
      for (const item of input) {
        const res = lookup(item);
        if (res === undefined) continue;
        if (Array.isArray(res)) for (const v of res) result.push(v);
        else result.push(res);
      }
      return result;
    }
    if (input !== null && typeof input === 'object' && Object.hasOwn(input, name) && !isFunction(input)) {
      return (input as Record<string, unknown>)[name];
    }
    return undefined;
  };
  return lookup;
}

function compileVariable(name: string): Evaluator {
  if (name === '') return (input) => (Array.isArray(input) && (input as Sequence).outerWrapper ? input[0] : input);
  return (_input, env) => env.lookup(name);
}

function compileArray(node: AstNode): Evaluator {
  const items = (node.expressions as AstNode[]).map((item) => ({ nested: item.value === '[', evaluate: compileNode(item) }));
  const cons = node.consarray === true;
  return (input, env) => {
    let result: unknown = [];
    for (const item of items) {
      const value = item.evaluate(input, env);
      if (value === undefined) continue;
      if (item.nested) (result as unknown[]).push(value);
      else result = append(result, value);
    }
    if (cons) Object.defineProperty(result, 'cons', { enumerable: false, configurable: false, value: true });
    return result;
  };
}

function wildcard(input: unknown): unknown {
  // Like jsonata-js, an array value is appended by concatenation, which yields a plain array, not a sequence.
  let results: unknown = createSequence();
  let target = input;
  if (Array.isArray(target) && (target as Sequence).outerWrapper && target.length > 0) target = target[0];
  if (target !== null && typeof target === 'object' && !isFunction(target)) {
    for (const key of Object.keys(target)) {
      const value = (target as Record<string, unknown>)[key];
      if (Array.isArray(value)) results = append(results, flattenDeep(value));
      else (results as unknown[]).push(value);
    }
  }
  return results;
}

function flattenDeep(value: unknown[], into: unknown[] = []): unknown[] {
  for (const v of value) {
    if (Array.isArray(v)) flattenDeep(v, into);
    else into.push(v);
  }
  return into;
}

function descendants(input: unknown): unknown {
  if (input === undefined) return undefined;
  const results = createSequence();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const member of value) walk(member);
      return;
    }
    results.push(value);
    if (value !== null && typeof value === 'object' && !isFunction(value)) {
      for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key]);
    }
  };
  walk(input);
  return results.length === 1 ? results[0] : results;
}

function compileCondition(node: AstNode): Evaluator {
  const condition = compileNode(node.condition as AstNode);
  const then = compileNode(node.then as AstNode);
  const otherwise = node.else === undefined ? undefined : compileNode(node.else as AstNode);
  return (input, env) => {
    if (truthy(condition(input, env))) return then(input, env);
    return otherwise ? otherwise(input, env) : undefined;
  };
}

function compileBlock(node: AstNode): Evaluator {
  const expressions = (node.expressions as AstNode[]).map(compileNode);
  return (input, env) => {
    const frame = env.child();
    let result: unknown;
    for (const expression of expressions) result = expression(input, frame);
    return result;
  };
}

function truthy(value: unknown): boolean {
  return toBoolean(value) === true;
}

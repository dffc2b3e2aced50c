// Function calls, lambdas, partial application and the `~>` chain.
import { apply, type Evaluator, type Lambda, PLACEHOLDER, partial, type TailCall } from './apply.js';
import { depthOf, type Frame } from './frame.js';
import type { AstNode, NodeCompiler } from './node.js';
import { isFunction, jsonataError, type Signature } from './values.js';

function procedureName(procedure: AstNode): string | undefined {
  if (procedure.type === 'path') return (procedure.steps as AstNode[])[0]!.value as string;
  return procedure.value as string | undefined;
}

function annotate(err: unknown, position: number | undefined, token: string | undefined): unknown {
  if (err !== null && typeof err === 'object') {
    const e = err as { position?: number; token?: string };
    if (!e.position) e.position = position;
    if (e.token === undefined) e.token = token;
  }
  return err;
}

/** Compiles `f(args)`; `lhs`, the left side of `~>`, is evaluated first and becomes the first argument. */
export function compileFunctionCall(node: AstNode, compile: NodeCompiler, lhs?: Evaluator): Evaluator {
  const procedureNode = node.procedure as AstNode;
  const procedure = compile(procedureNode);
  const args = (node.arguments as AstNode[]).map(compile);
  const token = procedureName(procedureNode);
  // `sum(x)` reads a field named sum; when $sum exists, jsonata-js reports the likely missing `$`.
  const typo = procedureNode.type === 'path' ? token : undefined;
  const position = node.position;
  const siteDepth = depthOf(node);
  const first = lhs ? 1 : 0;
  return (input, env) => {
    // Sized up front: growing an empty array on the first push allocates far more than a call needs.
    const values: unknown[] = new Array(first + args.length);
    if (lhs) values[0] = lhs(input, env);
    const proc = procedure(input, env);
    if (proc === undefined && typo !== undefined && env.lookup(typo) !== undefined) {
      throw jsonataError('T1005', { position, token: typo });
    }
    for (let i = 0; i < args.length; i++) values[first + i] = args[i]!(input, env);
    try {
      return apply(proc, values, input, env, siteDepth);
    } catch (err) {
      throw annotate(err, position, token);
    }
  };
}

/** Compiles `function($a, $b)<sig> { body }` (and the thunks the parser makes for tail calls). */
export function compileLambda(node: AstNode, compile: NodeCompiler): Evaluator {
  const params = node.arguments as { value: string }[];
  const signature = node.signature as Signature | undefined;
  if (node.thunk === true) {
    const body = node.body as AstNode;
    const procedureNode = body.procedure as AstNode;
    const thunk: TailCall = {
      procedure: compile(procedureNode),
      args: (body.arguments as AstNode[]).map(compile),
      token: procedureNode.type === 'variable' ? (procedureNode.value as string) : undefined,
      position: body.position ?? 0,
    };
    // `apply` runs the thunk's call in its trampoline; `body` makes the call directly if it is applied elsewhere.
    const direct = compile(body);
    return (input, env): Lambda => ({ _jsonata_lambda: true, input, environment: env, arguments: params, body: direct, thunk });
  }
  const body = compile(node.body as AstNode);
  return (input, env): Lambda => ({ _jsonata_lambda: true, input, environment: env, arguments: params, signature, body });
}

/** Compiles `f(a, ?, c)`. */
export function compilePartial(node: AstNode, compile: NodeCompiler): Evaluator {
  const procedureNode = node.procedure as AstNode;
  const procedure = compile(procedureNode);
  const args = (node.arguments as AstNode[]).map((arg) =>
    arg.type === 'operator' && arg.value === '?' ? undefined : compile(arg),
  );
  const typo = procedureNode.type === 'path' ? procedureName(procedureNode) : undefined;
  return (input, env) => {
    const evaluated = args.map((arg) => (arg ? arg(input, env) : PLACEHOLDER));
    const proc = procedure(input, env);
    if (proc === undefined && typo !== undefined && env.lookup(typo) !== undefined) {
      throw jsonataError('T1007', { position: node.position, token: typo });
    }
    const result = partial(proc, evaluated, env);
    if (!result) throw jsonataError('T1008', { position: node.position, token: procedureName(procedureNode) });
    return result;
  };
}

/** Compiles `lhs ~> rhs`: a call with `lhs` as first argument, or the composition of two functions. */
export function compileApply(node: AstNode, compile: NodeCompiler): Evaluator {
  const lhs = compile(node.lhs as AstNode);
  const rhsNode = node.rhs as AstNode;
  if (rhsNode.type === 'function') return compileFunctionCall(rhsNode, compile, lhs);
  const rhs = compile(rhsNode);
  const siteDepth = depthOf(node);
  return (input, env) => {
    const left = lhs(input, env);
    const func = rhs(input, env);
    if (!isFunction(func)) throw jsonataError('T2006', { position: node.position, value: func });
    if (isFunction(left)) return compose(left, func, env);
    return apply(func, [left], null, env, siteDepth);
  };
}

/** `f ~> g`: a function applying `f`, then `g`. */
function compose(first: unknown, second: unknown, env: Frame): Lambda {
  return {
    _jsonata_lambda: true,
    input: null,
    environment: env,
    arguments: [{ value: 'x' }],
    body: (_input, frame) => apply(second, [apply(first, [frame.lookup('x')], null, frame)], null, frame),
  };
}

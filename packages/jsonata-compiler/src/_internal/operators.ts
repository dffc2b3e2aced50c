import type { Evaluator } from './apply.js';
import { stringify } from './builtins.js';
import type { Frame } from './frame.js';
import { type AstNode, type NodeCompiler, NotCompiled } from './node.js';
import { deepEqual, isNumeric, jsonataError, type Sequence, toBoolean } from './values.js';

const RANGE_LIMIT = 1e7;

/** Adds the operator's position and token to an error raised while applying it. */
function located(err: unknown, node: AstNode, op: string): unknown {
  if (err !== null && typeof err === 'object') Object.assign(err, { position: node.position, token: op });
  return err;
}

function arithmetic(op: string, lhs: unknown, rhs: unknown): number | undefined {
  if (lhs !== undefined && !isNumeric(lhs)) throw jsonataError('T2001', { value: lhs });
  if (rhs !== undefined && !isNumeric(rhs)) throw jsonataError('T2002', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  switch (op) {
    case '+':
      return lhs + rhs;
    case '-':
      return lhs - rhs;
    case '*':
      return lhs * rhs;
    case '/':
      return lhs / rhs;
    default:
      return lhs % rhs;
  }
}

function comparison(op: string, lhs: unknown, rhs: unknown): boolean | undefined {
  const ltype = typeof lhs;
  const rtype = typeof rhs;
  const lok = ltype === 'undefined' || ltype === 'string' || ltype === 'number';
  const rok = rtype === 'undefined' || rtype === 'string' || rtype === 'number';
  if (!lok || !rok) {
    throw jsonataError('T2010', { value: !(ltype === 'string' || ltype === 'number') ? lhs : rhs });
  }
  if (ltype === 'undefined' || rtype === 'undefined') return undefined;
  if (ltype !== rtype) throw jsonataError('T2009', { value: lhs, value2: rhs });
  const l = lhs as number;
  const r = rhs as number;
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

function range(lhs: unknown, rhs: unknown): Sequence | undefined {
  if (lhs !== undefined && !Number.isInteger(lhs)) throw jsonataError('T2003', { value: lhs });
  if (rhs !== undefined && !Number.isInteger(rhs)) throw jsonataError('T2004', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  const from = lhs as number;
  const to = rhs as number;
  if (from > to) return undefined;
  const size = to - from + 1;
  if (size > RANGE_LIMIT) throw jsonataError('D2014', { value: size });
  const result: Sequence = new Array(size);
  for (let i = 0; i < size; i++) result[i] = from + i;
  result.sequence = true;
  return result;
}

function includes(lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  return Array.isArray(rhs) ? rhs.includes(lhs) : rhs === lhs;
}

function concat(lhs: unknown, rhs: unknown): string {
  return (lhs === undefined ? '' : stringify(lhs)) + (rhs === undefined ? '' : stringify(rhs));
}

function boolize(value: unknown): boolean {
  return toBoolean(value) === true;
}

/** Compiles a binary operator node. */
export function compileBinary(node: AstNode, compile: NodeCompiler): Evaluator {
  const op = node.value as string;
  const lhs = compile(node.lhs as AstNode);
  const rhs = compile(node.rhs as AstNode);
  const binary = (fn: (l: unknown, r: unknown) => unknown): Evaluator => {
    return (input: unknown, env: Frame) => {
      const l = lhs(input, env);
      const r = rhs(input, env);
      try {
        return fn(l, r);
      } catch (err) {
        throw located(err, node, op);
      }
    };
  };
  switch (op) {
    case 'and':
    case 'or': {
      const and = op === 'and';
      return (input, env) => {
        try {
          const left = boolize(lhs(input, env));
          if (and ? !left : left) return left;
          return boolize(rhs(input, env));
        } catch (err) {
          throw located(err, node, op);
        }
      };
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return binary((l, r) => arithmetic(op, l, r));
    case '=':
      return binary((l, r) => l !== undefined && r !== undefined && deepEqual(l, r));
    case '!=':
      return binary((l, r) => l !== undefined && r !== undefined && !deepEqual(l, r));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return binary((l, r) => comparison(op, l, r));
    case '&':
      return binary(concat);
    case '..':
      return binary(range);
    case 'in':
      return binary(includes);
    default:
      throw new NotCompiled(`operator '${op}'`);
  }
}

/** Compiles unary minus. */
export function compileNegation(node: AstNode, compile: NodeCompiler): Evaluator {
  const expression = compile(node.expression as AstNode);
  return (input, env) => {
    const value = expression(input, env);
    if (value === undefined) return undefined;
    if (isNumeric(value)) return -value;
    throw jsonataError('D1002', { position: node.position, token: '-', value });
  };
}

import { callFunction } from './jsonata-functions.js';

// A synchronous interpreter for the part of the JSONata AST that `createSyncJsonataEngine` accepts. It follows
// the semantics of the jsonata library (sequences, undefined propagation, boolean casting, error codes) so that
// results match `jsonata(expr).evaluate(…)`; the property tests check this against the library.

/** A node of the AST `jsonata(expr).ast()` returns, narrowed to the fields read here. */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  steps?: AstNode[];
  lhs?: AstNode;
  rhs?: AstNode;
  expression?: AstNode;
  expressions?: AstNode[];
  condition?: AstNode;
  then?: AstNode;
  else?: AstNode;
  procedure?: AstNode;
  arguments?: AstNode[];
  stages?: unknown;
  predicate?: unknown;
  group?: unknown;
  keepArray?: boolean;
}

type Bindings = Readonly<Record<string, unknown>>;

/** An evaluation error with the jsonata library's code (T2001, D3060, …). */
export class ExpressionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const isNumber = (v: unknown): v is number => typeof v === 'number';

/** The library's operand check: NaN is not a number, an infinite one is an error. */
function isNumeric(v: unknown): v is number {
  if (typeof v !== 'number' || Number.isNaN(v)) return false;
  if (!Number.isFinite(v)) throw new ExpressionError('D1001', 'Number out of range');
  return true;
}

/** JSONata's boolean casting. */
export function toBoolean(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 1 ? toBoolean(v[0]) : v.some(toBoolean);
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return isNumeric(v) && v !== 0;
  if (typeof v === 'boolean') return v;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return false;
}

// The library tells sequences (results of paths, flattened and unwrapped) from array values; so do we.
const sequences = new WeakSet<unknown[]>();
function sequence(items: unknown[]): unknown[] {
  sequences.add(items);
  return items;
}

export function toSequence(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function fromSequence(seq: unknown[]): unknown {
  if (!sequences.has(seq)) return seq;
  return seq.length === 0 ? undefined : seq.length === 1 ? seq[0] : seq;
}

function lookup(item: unknown, name: string): unknown {
  if (Array.isArray(item)) {
    const out = sequence([]);
    for (const x of item) {
      const v = lookup(x, name);
      if (Array.isArray(v)) out.push(...v);
      else if (v !== undefined) out.push(v);
    }
    return out;
  }
  return item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[name] : undefined;
}

function variable(name: string, input: unknown, bindings: Bindings): unknown {
  return name === '' ? input : bindings[name];
}

function path(node: AstNode, input: unknown, bindings: Bindings): unknown {
  const steps = node.steps!;
  let items = steps[0]!.type === 'variable' || !Array.isArray(input) ? [input] : input;
  let result = sequence([]);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const values: unknown[] = [];
    for (const item of items) {
      const v = step.type === 'variable' ? variable(step.value as string, item, bindings) : lookup(item, step.value as string);
      if (v !== undefined) values.push(v);
    }
    // On the last step a single array value is the result itself, not a sequence to flatten.
    if (i === steps.length - 1 && values.length === 1 && Array.isArray(values[0]) && !sequences.has(values[0] as unknown[])) {
      return values[0];
    }
    result = sequence([]);
    for (const v of values) {
      if (Array.isArray(v) && !consArrays.has(v)) result.push(...v);
      else result.push(v);
    }
    if (result.length === 0) break;
    items = result;
  }
  return fromSequence(result);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** JSONata's `$string` for the values a derived property sees. */
export function toText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ExpressionError('D3001', 'Attempting to invoke string function on Infinity or NaN');
    return JSON.stringify(Number(v.toPrecision(15)));
  }
  return JSON.stringify(v, (_k, x) => (typeof x === 'number' ? Number(x.toPrecision(15)) : x));
}

function arithmetic(op: string, l: unknown, r: unknown): unknown {
  if (l !== undefined && !isNumeric(l)) throw new ExpressionError('T2001', `The left side of the "${op}" operator must evaluate to a number`);
  if (r !== undefined && !isNumeric(r)) throw new ExpressionError('T2002', `The right side of the "${op}" operator must evaluate to a number`);
  if (l === undefined || r === undefined) return undefined;
  return op === '+' ? l + r : op === '-' ? l - r : op === '*' ? l * r : op === '/' ? l / r : l % r;
}

function compare(op: string, l: unknown, r: unknown): boolean | undefined {
  const comparable = (v: unknown) => v === undefined || typeof v === 'string' || typeof v === 'number';
  if (!comparable(l) || !comparable(r)) throw new ExpressionError('T2010', `The expressions either side of operator "${op}" must evaluate to numeric or string values`);
  if (l === undefined || r === undefined) return undefined;
  if (typeof l !== typeof r) throw new ExpressionError('T2009', `The values either side of operator "${op}" must be of the same data type`);
  const a = l as number | string;
  const b = r as number | string;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

function binary(node: AstNode, input: unknown, bindings: Bindings): unknown {
  const op = node.value as string;
  const l = evaluateNode(node.lhs!, input, bindings);
  if (op === 'and') return toBoolean(l) && toBoolean(evaluateNode(node.rhs!, input, bindings));
  if (op === 'or') return toBoolean(l) || toBoolean(evaluateNode(node.rhs!, input, bindings));
  const r = evaluateNode(node.rhs!, input, bindings);
  switch (op) {
    case '=':
      return l !== undefined && r !== undefined && deepEqual(l, r);
    case '!=':
      return l !== undefined && r !== undefined && !deepEqual(l, r);
    case '&':
      return (toText(l) ?? '') + (toText(r) ?? '');
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, l, r);
    default:
      return arithmetic(op, l, r);
  }
}

/** Arrays built by an array constructor: paths do not flatten them. */
const consArrays = new WeakSet<unknown[]>();

function arrayOf(node: AstNode, input: unknown, bindings: Bindings): unknown[] {
  const out: unknown[] = [];
  consArrays.add(out);
  for (const item of node.expressions!) {
    const v = evaluateNode(item, input, bindings);
    if (v === undefined) continue;
    if (item.type === 'unary' && item.value === '[') out.push(v);
    else if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

/** Evaluates one AST node (already checked to be supported). */
export function evaluateNode(node: AstNode, input: unknown, bindings: Bindings): unknown {
  switch (node.type) {
    case 'number':
    case 'string':
    case 'value':
      return node.value;
    case 'variable':
      return variable(node.value as string, input, bindings);
    case 'path':
      return path(node, input, bindings);
    case 'binary':
      return binary(node, input, bindings);
    case 'unary': {
      if (node.value === '[') return arrayOf(node, input, bindings);
      const v = evaluateNode(node.expression!, input, bindings);
      if (v === undefined) return undefined;
      if (!isNumeric(v)) throw new ExpressionError('D1002', 'Cannot negate a non-numeric value');
      return -v;
    }
    case 'condition':
      return toBoolean(evaluateNode(node.condition!, input, bindings))
        ? evaluateNode(node.then!, input, bindings)
        : node.else && evaluateNode(node.else, input, bindings);
    case 'block': {
      let last: unknown;
      for (const e of node.expressions!) last = evaluateNode(e, input, bindings);
      return last;
    }
    case 'function':
      return callFunction(
        node.procedure!.value as string,
        node.arguments!.map((a) => evaluateNode(a, input, bindings)),
      );
    default:
      throw new ExpressionError('S0000', `Unsupported expression "${node.type}"`);
  }
}

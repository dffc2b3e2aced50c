import { ExpressionError, isNumber, toBoolean, toSequence, toText } from './jsonata-sync.js';

// The library functions the synchronous evaluator supports, with the jsonata library's argument checks,
// results and error codes.

function numbers(name: string, v: unknown): number[] {
  const seq = toSequence(v);
  if (!seq.every(isNumber)) throw new ExpressionError('T0412', `Argument 1 of function "${name}" must be an array of numbers`);
  return seq as number[];
}

function numberArg(name: string, v: unknown): number {
  if (!isNumber(v)) throw new ExpressionError('T0410', `Argument 1 of function "${name}" does not match function signature`);
  return v;
}

function roundHalfEven(value: number, precision = 0): number {
  const shift = (n: number, by: number) => {
    const [mantissa, exponent = '0'] = String(n).split('e');
    return Number(`${mantissa}e${Number(exponent) + by}`);
  };
  const scaled = shift(value, precision);
  let result = Math.round(scaled);
  if (Math.abs(result - scaled) === 0.5 && Math.abs(result % 2) === 1) result -= 1;
  return shift(result, -precision);
}

// Argument types of each function, as the library's signatures declare them: n number, s string, b boolean,
// x anything, N an array of numbers (a single value is wrapped), A anything (wrapped into an array).
const SIGNATURES: Record<string, string[]> = {
  sum: ['N'], max: ['N'], min: ['N'], average: ['N'], count: ['A'],
  abs: ['n'], floor: ['n'], ceil: ['n'], sqrt: ['n'], round: ['n', 'n'], power: ['n', 'n'],
  number: ['nsb'], string: ['x', 'b'], boolean: ['x'], not: ['x'], exists: ['x'],
};

function typeLetter(v: unknown): string {
  return Array.isArray(v) ? 'a' : v === null ? 'l' : typeof v === 'number' ? 'n' : typeof v === 'string' ? 's' : typeof v === 'boolean' ? 'b' : 'o';
}

function checkSignature(name: string, args: unknown[]): void {
  const params = SIGNATURES[name]!;
  if (args.length > params.length) throw new ExpressionError('T0410', `Function "${name}" takes at most ${params.length} arguments`);
  args.forEach((v, i) => {
    const allowed = params[i]!;
    if (v === undefined || allowed === 'x' || allowed === 'A') return;
    if (allowed === 'N') {
      if (!toSequence(v).every(isNumber)) throw new ExpressionError('T0412', `Argument ${i + 1} of function "${name}" must be an array of numbers`);
    } else if (!allowed.includes(typeLetter(v))) {
      throw new ExpressionError('T0410', `Argument ${i + 1} of function "${name}" does not match function signature`);
    }
  });
}

/** Calls `$name` with evaluated arguments. */
export function callFunction(name: string, args: unknown[]): unknown {
  checkSignature(name, args);
  const [a, b] = args;
  if (name === 'count') return toSequence(a).length;
  if (name === 'exists') return a !== undefined;
  if (a === undefined) return undefined;
  switch (name) {
    case 'sum':
      return numbers(name, a).reduce((s, x) => s + x, 0);
    case 'max':
    case 'min':
    case 'average': {
      const xs = numbers(name, a);
      if (xs.length === 0) return undefined;
      return name === 'max' ? Math.max(...xs) : name === 'min' ? Math.min(...xs) : xs.reduce((s, x) => s + x, 0) / xs.length;
    }
    case 'abs':
      return Math.abs(numberArg(name, a));
    case 'floor':
      return Math.floor(numberArg(name, a));
    case 'ceil':
      return Math.ceil(numberArg(name, a));
    case 'round':
      return roundHalfEven(numberArg(name, a), b === undefined ? 0 : numberArg(name, b));
    case 'sqrt': {
      const x = numberArg(name, a);
      if (x < 0) throw new ExpressionError('D3060', `The sqrt function cannot be applied to a negative number: ${x}`);
      return Math.sqrt(x);
    }
    case 'power': {
      const result = numberArg(name, a) ** numberArg(name, b);
      if (!Number.isFinite(result)) throw new ExpressionError('D3061', 'The power function has resulted in a value that cannot be represented');
      return result;
    }
    case 'number':
      if (isNumber(a)) return a;
      if (typeof a === 'boolean') return a ? 1 : 0;
      if (typeof a === 'string' && /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/.test(a) && Number.isFinite(Number(a))) return Number.parseFloat(a);
      if (typeof a === 'string' && /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/.test(a)) return Number(a);
      throw new ExpressionError('D3030', `Unable to cast value to a number: ${toText(a)}`);
    case 'string':
      return toText(a);
    case 'boolean':
      return toBoolean(a);
    case 'not':
      return !toBoolean(a);
    default:
      throw new ExpressionError('T1006', `Attempted to invoke a non-function $${name}`);
  }
}

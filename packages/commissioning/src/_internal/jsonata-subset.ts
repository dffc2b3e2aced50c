/**
 * Whether `expression` belongs to a small part of JSONata whose every sentence the jsonata parser accepts:
 * literals, paths of names (`a.b`, `$.value`), variables, calls of `$functions`, binary operators, unary minus,
 * parentheses, and object and array constructors. Most rule expressions are of this kind; recognising them
 * spares a full parse, which costs jsonata far more (a new symbol table for each expression). `false` means only
 * "not recognised": the caller lets jsonata itself parse the expression and report its errors.
 */
export function isSimpleJsonata(expression: string): boolean {
  const tokens = tokenize(expression);
  if (tokens === undefined) return false;
  const state = { tokens, i: 0 };
  return parseExpression(state, 0) && state.i === tokens.length;
}

type Token = { readonly kind: 'number' | 'string' | 'name' | 'variable' | 'op'; readonly text: string };
interface State {
  readonly tokens: readonly Token[];
  i: number;
}

const BINARY = new Set(['+', '-', '*', '%', '&', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'in']);
/** Names that are not plain path steps: operators, literals and the lambda keywords. */
const RESERVED = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);
const PUNCTUATION = new Set(['.', '(', ')', '[', ']', '{', '}', ',', ':', '+', '-', '*', '%', '&', '=', '<', '>']);
/** What ends a name in jsonata: whitespace and its operator characters. */
const NAME_STOP = ' \t\n\r\v.[]{}(),@#;:?+-*/%|=<>^&!~';
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const VARIABLE = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?/y;
// jsonata's own number syntax; a sign is always an operator token there.
const NUMBER = /(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[Ee][-+]?[0-9]+)?/y;
const MAX_DEPTH = 50;

/** jsonata's tokens, or undefined for anything outside the recognised part (escapes, regexes, `/`, `..` …). */
function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  let p = 0;
  while (p < source.length) {
    const c = source[p]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v') {
      p++;
      continue;
    }
    if (c === '/' && source[p + 1] === '*') {
      const end = source.indexOf('*/', p + 2);
      if (end < 0) return undefined;
      p = end + 2;
      continue;
    }
    const two = source.slice(p, p + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two });
      p += 2;
      continue;
    }
    // Two-character operators outside the recognised part: `..`, `**`, `:=`, `~>`, `?:`, `??`.
    if (two === '..' || two === '**' || two === ':=') return undefined;
    if (c === '"' || c === "'") {
      const end = source.indexOf(c, p + 1);
      if (end < 0 || source.slice(p + 1, end).includes('\\')) return undefined;
      tokens.push({ kind: 'string', text: source.slice(p, end + 1) });
      p = end + 1;
      continue;
    }
    const regex = c >= '0' && c <= '9' ? NUMBER : c === '$' ? VARIABLE : NAME;
    regex.lastIndex = p;
    const match = regex.exec(source);
    if (match) {
      const text = match[0];
      if (regex === NUMBER && !Number.isFinite(Number.parseFloat(text))) return undefined;
      // In jsonata a name runs on up to whitespace or an operator: `and'x'` is one name there, two tokens here.
      const next = source[p + text.length];
      if (regex !== NUMBER && next !== undefined && !NAME_STOP.includes(next)) return undefined;
      tokens.push({ kind: regex === NUMBER ? 'number' : regex === VARIABLE ? 'variable' : 'name', text });
      p += text.length;
      continue;
    }
    if (!PUNCTUATION.has(c)) return undefined;
    tokens.push({ kind: 'op', text: c });
    p++;
  }
  return tokens;
}

function isOp(s: State, text: string): boolean {
  const t = s.tokens[s.i];
  return t !== undefined && t.kind === 'op' && t.text === text;
}

/** `unary (binary-operator unary)*`: every such sequence parses, whatever the operators' precedence. */
function parseExpression(s: State, depth: number): boolean {
  if (depth > MAX_DEPTH || !parseUnary(s, depth)) return false;
  for (;;) {
    const t = s.tokens[s.i];
    if (t === undefined || !(t.kind === 'op' || t.kind === 'name') || !BINARY.has(t.text)) return true;
    s.i++;
    if (!parseUnary(s, depth)) return false;
  }
}

function parseUnary(s: State, depth: number): boolean {
  while (isOp(s, '-')) s.i++;
  return parsePrimary(s, depth);
}

/** A comma-separated list up to `close`, each item read by `item`. */
function parseList(s: State, close: string, item: () => boolean): boolean {
  if (isOp(s, close)) {
    s.i++;
    return true;
  }
  for (;;) {
    if (!item()) return false;
    if (isOp(s, close)) {
      s.i++;
      return true;
    }
    if (!isOp(s, ',')) return false;
    s.i++;
  }
}

function parsePrimary(s: State, depth: number): boolean {
  const t = s.tokens[s.i++];
  if (t === undefined) return false;
  if (t.kind === 'number' || t.kind === 'string') return true;
  if (t.kind === 'name' && (t.text === 'true' || t.text === 'false' || t.text === 'null')) return true;
  const inner = () => parseExpression(s, depth + 1);
  if (t.kind === 'op') {
    if (t.text === '(') {
      if (!inner() || !isOp(s, ')')) return false;
      s.i++;
      return true;
    }
    if (t.text === '[') return parseList(s, ']', inner);
    if (t.text === '{') {
      return parseList(s, '}', () => {
        if (!inner() || !isOp(s, ':')) return false;
        s.i++;
        return inner();
      });
    }
    return false;
  }
  if (t.kind === 'name' && RESERVED.has(t.text)) return false;
  if (t.kind === 'variable' && t.text !== '$' && isOp(s, '(')) {
    s.i++;
    return parseList(s, ')', inner);
  }
  // A path: a name or variable, then `.name` steps.
  while (isOp(s, '.')) {
    const step = s.tokens[s.i + 1];
    if (step === undefined || step.kind !== 'name' || RESERVED.has(step.text)) return false;
    s.i += 2;
  }
  return true;
}

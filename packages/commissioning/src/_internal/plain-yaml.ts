import { type LineCounter, type Node, Scalar, type YAMLMap, type YAMLSeq, isMap } from 'yaml';
import { MAP, SEQ, newCollection, newPair, newScalar, resolveCoreScalar } from './yaml-nodes.js';

/**
 * A reader for the block-style YAML that commissioning files are written in, building the same nodes (values,
 * tags, scalar styles, where each node starts and each scalar ends) that `yaml`'s composer builds, several times
 * faster. It reads block maps and
 * sequences, plain and quoted single-line scalars, `!ref`/`!sub`, literal and folded block scalars and comments.
 * Anything else (anchors, aliases, flow collections, multi-line flow scalars, escapes, other tags, directives,
 * several documents, tabs, duplicate keys, any syntax error) makes it give up, and the caller uses `yaml`'s
 * full parser, which then produces the same nodes or the errors to report.
 */
export function readPlainYaml(text: string, lines: LineCounter): Node | undefined {
  if (UNSUPPORTED_CHARACTER.test(text) || UNSUPPORTED_LINE.test(text)) return undefined;
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  try {
    const root = new Reader(text, starts).document();
    for (let i = 0; i < starts.length; i++) lines.addNewLine(starts[i]!);
    return root;
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

// Control characters, tabs, CR, BOM and Unicode line breaks; document markers and directives at a line's start.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const UNSUPPORTED_CHARACTER = /[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/;
const UNSUPPORTED_LINE = /^(?:---|\.\.\.|%)/m;
const GIVE_UP = Symbol('not plain block YAML');
const MAX_DEPTH = 64;
/** Characters that cannot start a plain scalar (or start something this reader leaves to `yaml`). */
const INDICATORS = new Set('[]{},&*!|>\'"%@`#');
const SPACE = 32;

function giveUp(): never {
  throw GIVE_UP;
}

class Reader {
  /** The line the reader is on. */
  private line = 0;
  /** The offset after the `:` of the key read last. */
  private afterColon = 0;

  constructor(
    private readonly text: string,
    private readonly starts: readonly number[],
  ) {}

  document(): Node {
    const l = this.nextContent();
    if (l < 0 || this.indent(l) !== 0) giveUp();
    const root = this.block(l, 0, -1, 0);
    if (!isMap(root) || this.nextContent() >= 0) giveUp();
    return root;
  }

  private end(l: number): number {
    return l + 1 < this.starts.length ? this.starts[l + 1]! - 1 : this.text.length;
  }

  private indent(l: number): number {
    const start = this.starts[l]!;
    let p = start;
    while (this.text.charCodeAt(p) === SPACE) p++;
    return p - start;
  }

  private skipSpaces(p: number): number {
    while (this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** The next line from `this.line` with content (not blank, not only a comment), or -1; moves there. */
  private nextContent(): number {
    for (let l = this.line; l < this.starts.length; l++) {
      const p = this.skipSpaces(this.starts[l]!);
      if (p < this.end(l) && this.text[p] !== '#') return (this.line = l);
    }
    this.line = this.starts.length;
    return -1;
  }

  /** Whether the `-` at `p` starts a sequence item. */
  private isDash(p: number, l: number): boolean {
    return this.text[p] === '-' && (p + 1 === this.end(l) || this.text.charCodeAt(p + 1) === SPACE);
  }

  /** The collection that starts at line `l`, column `indent`, inside a parent at `parentIndent`. */
  private block(l: number, indent: number, parentIndent: number, depth: number): Node {
    if (indent <= parentIndent || depth > MAX_DEPTH) giveUp();
    const p = this.starts[l]! + indent;
    return this.isDash(p, l) ? this.sequence(l, indent, depth) : this.map(p, l, indent, depth);
  }

  private sequence(l: number, indent: number, depth: number): YAMLSeq {
    const start = this.starts[l]! + indent;
    const seq = newCollection(SEQ, start);
    let last: Node = seq;
    for (;;) {
      const item = this.value(this.starts[l]! + indent + 1, l, indent, depth, true);
      seq.items.push(item);
      last = item;
      l = this.nextContent();
      if (l < 0) break;
      const ind = this.indent(l);
      if (ind > indent) giveUp();
      if (ind < indent || !this.isDash(this.starts[l]! + ind, l)) break;
    }
    seq.range = [start, last.range![1], last.range![1]];
    return seq;
  }

  /** A block map whose first key starts at `p` on line `l` (after `- ` for a map inside a sequence item). */
  private map(p: number, l: number, indent: number, depth: number): YAMLMap {
    const map = newCollection(MAP, p);
    const keys = new Set<unknown>();
    const start = p;
    let last: Node = map;
    for (;;) {
      const key = this.key(p, l);
      if (keys.has(key.value) || Number.isNaN(key.value)) giveUp(); // duplicates are reported by `yaml`
      keys.add(key.value);
      const value = this.value(this.afterColon, l, indent, depth, false);
      map.items.push(newPair(key, value));
      last = value;
      l = this.nextContent();
      if (l < 0) break;
      const ind = this.indent(l);
      if (ind > indent) giveUp();
      p = this.starts[l]! + ind;
      if (ind < indent) break;
      if (this.isDash(p, l)) giveUp();
    }
    map.range = [start, last.range![1], last.range![1]];
    return map;
  }

  /** A map key, followed by its `:` (the offset after it goes to `afterColon`). */
  private key(p: number, l: number): Scalar {
    const end = this.end(l);
    if (end - p > 1000) giveUp(); // `yaml` limits implicit keys to 1024 characters
    const c = this.text[p]!;
    let key: Scalar;
    if (c === '"' || c === "'") key = this.quoted(p, l);
    else {
      if (this.cannotStartPlain(p, end)) giveUp();
      const colon = this.colon(p, end);
      if (colon < 0) giveUp();
      let e = colon;
      while (this.text.charCodeAt(e - 1) === SPACE) e--;
      if (e === p) giveUp();
      key = this.plain(this.text.slice(p, e), p, e);
    }
    const colon = this.skipSpaces(key.range![1]);
    if (this.text[colon] !== ':' || (colon + 1 < end && this.text.charCodeAt(colon + 1) !== SPACE)) giveUp();
    this.afterColon = colon + 1;
    return key;
  }

  /** Whether the character at `p` cannot start a plain scalar (or starts one this reader leaves to `yaml`). */
  private cannotStartPlain(p: number, end: number): boolean {
    const c = this.text[p]!;
    return INDICATORS.has(c) || ((c === '-' || c === '?' || c === ':') && (p + 1 === end || this.text.charCodeAt(p + 1) === SPACE));
  }

  /** The first `:` in [p, end) that ends an implicit key (followed by a space or the line's end), before any comment. */
  private colon(p: number, end: number): number {
    for (let i = p; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 58 /* : */ && (i + 1 === end || this.text.charCodeAt(i + 1) === SPACE)) return i;
      if (c === 35 /* # */ && this.text.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** The value after a key's `:` or an item's `-` at `p` on line `l`; leaves `this.line` after it. */
  private value(p: number, l: number, indent: number, depth: number, inSequence: boolean): Node {
    const end = this.end(l);
    const q = this.skipSpaces(p);
    this.line = l + 1;
    if (q >= end || (this.text[q] === '#' && q > p)) {
      const next = this.nextContent();
      if (next >= 0) {
        const ind = this.indent(next);
        if (ind > indent) return this.block(next, ind, indent, depth + 1);
        if (ind === indent && !inSequence && this.isDash(this.starts[next]! + ind, next)) return this.sequence(next, ind, depth + 1);
      }
      this.line = l + 1;
      return newScalar(null, q, q, Scalar.PLAIN);
    }
    const c = this.text[q]!;
    if (c === '|' || c === '>') return this.blockScalar(q, l, indent);
    if (c === '!') return this.tagged(q, l, end);
    if (c === '"' || c === "'") {
      const s = this.quoted(q, l);
      const after = this.skipSpaces(s.range![1]);
      if (after < end && this.text[after] === ':' && inSequence) return this.map(q, l, q - this.starts[l]!, depth + 1);
      this.lineEnd(s.range![1], end);
      return s;
    }
    if (this.cannotStartPlain(q, end)) giveUp();
    if (this.colon(q, end) >= 0) {
      if (!inSequence) giveUp(); // `a: b: c` is an error `yaml` reports
      return this.map(q, l, q - this.starts[l]!, depth + 1);
    }
    let e = q;
    for (; e < end; e++) if (this.text.charCodeAt(e) === 35 && this.text.charCodeAt(e - 1) === SPACE) break;
    while (this.text.charCodeAt(e - 1) === SPACE) e--;
    return this.plain(this.text.slice(q, e), q, e);
  }

  /** After a scalar ending at `p`: only spaces and a comment may follow on the line. */
  private lineEnd(p: number, end: number): void {
    const q = this.skipSpaces(p);
    if (q < end && (this.text[q] !== '#' || q === p)) giveUp();
  }

  private plain(source: string, start: number, end: number, tag?: string): Scalar {
    return newScalar(tag === undefined ? resolveCoreScalar(source) : source, start, end, Scalar.PLAIN, tag);
  }

  /** A single-line quoted scalar without escapes; range[2] is unset until the caller knows what follows. */
  private quoted(p: number, l: number): Scalar {
    const quote = this.text[p]!;
    const end = this.end(l);
    let i = p + 1;
    for (;;) {
      i = this.text.indexOf(quote, i);
      if (i < 0 || i >= end) giveUp();
      if (quote === "'" && this.text[i + 1] === "'") i += 2;
      else break;
    }
    const raw = this.text.slice(p + 1, i);
    if (quote === '"' && raw.includes('\\')) giveUp();
    return newScalar(quote === "'" ? raw.replaceAll("''", "'") : raw, p, i + 1, quote === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE);
  }

  /** `!ref x` or `!sub '…'` on one line; other tags are left to `yaml`. */
  private tagged(p: number, l: number, end: number): Scalar {
    const tag = this.text.slice(p, p + 4);
    if ((tag !== '!ref' && tag !== '!sub') || this.text.charCodeAt(p + 4) !== SPACE) giveUp();
    const q = this.skipSpaces(p + 4);
    const c = this.text[q];
    if (q >= end || c === undefined) giveUp();
    let s: Scalar;
    if (c === '"' || c === "'") s = this.quoted(q, l);
    else {
      if (this.cannotStartPlain(q, end) || this.colon(q, end) >= 0) giveUp();
      let e = q;
      for (; e < end; e++) if (this.text.charCodeAt(e) === 35 && this.text.charCodeAt(e - 1) === SPACE) break;
      while (this.text.charCodeAt(e - 1) === SPACE) e--;
      s = this.plain(this.text.slice(q, e), q, e, tag);
    }
    s.tag = tag;
    this.lineEnd(s.range![1], end);
    return s;
  }

  /** A literal (`|`) or folded (`>`) block scalar whose header is at `p`. */
  private blockScalar(p: number, l: number, parentIndent: number): Scalar {
    const folded = this.text[p] === '>';
    let h = p + 1;
    const chomp = this.text[h] === '-' || this.text[h] === '+' ? this.text[h++] : '';
    this.lineEnd(h, this.end(l));
    // Content: from the first non-empty line, indented more than the parent, to the last line so indented.
    let first = -1;
    let last = -1;
    let blockIndent = 0;
    let n = l + 1;
    for (; n < this.starts.length; n++) {
      const ind = this.indent(n);
      const blank = this.starts[n]! + ind === this.end(n);
      if (first < 0) {
        if (blank) giveUp(); // leading blank lines and empty block scalars are left to `yaml`
        if (ind <= parentIndent) giveUp();
        first = last = n;
        blockIndent = ind;
      } else if (blank && ind <= blockIndent) {
        // an empty line
      } else if (ind < blockIndent) break;
      else if (blank && folded) giveUp(); // spaces beyond the indentation: a more-indented line
      else last = n;
    }
    if (first < 0 || last + 1 >= this.starts.length) giveUp(); // content must end with a line break
    let body = '';
    let blanks = 0;
    for (let i = first; i <= last; i++) {
      const lineStart = this.starts[i]! + blockIndent;
      if (this.starts[i]! + this.indent(i) === this.end(i) && this.indent(i) <= blockIndent) {
        blanks++;
        continue;
      }
      const content = this.text.slice(lineStart, this.end(i));
      if (folded && content.charCodeAt(0) === SPACE) giveUp(); // more-indented lines keep their breaks
      if (i > first) body += folded && blanks === 0 ? ' ' : '\n'.repeat(folded ? blanks : blanks + 1);
      body += content;
      blanks = 0;
    }
    let trailing = 0;
    for (let i = last + 1; i < n && i + 1 < this.starts.length; i++) trailing++;
    const value = chomp === '-' ? body : chomp === '+' ? `${body}\n${'\n'.repeat(trailing)}` : `${body}\n`;
    this.line = last + 1;
    const end = this.starts[(chomp === '+' ? last + trailing : last) + 1]!;
    return newScalar(value, p, end, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL);
  }
}

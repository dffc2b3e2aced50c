import { type LineCounter, type Node, Scalar, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { CommissioningIssue, IssueCode } from '../errors.js';

/** A path into the document: map keys and sequence indexes. */
export type Segments = readonly (string | number)[];

/** `resources.x.properties.mappings[0].publish`, the form issues carry. */
export function formatPath(segments: Segments): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** Where a node starts in the text (0 when unknown). */
export function nodeOffset(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

/** Collects issues with their line and column; the same issue at the same place is kept once. */
export class IssueCollector {
  readonly issues: CommissioningIssue[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  report(code: IssueCode, at: Node | number | null | undefined, path: Segments, message: string, hint?: string): void {
    const offset = typeof at === 'number' ? at : nodeOffset(at);
    const { line, col } = this.lines.linePos(offset);
    const key = `${code}\u0000${offset}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const issue: CommissioningIssue = { code, message, file: this.file, line, column: col, path: formatPath(path) };
    this.issues.push(hint === undefined ? issue : { ...issue, hint });
  }
}

/**
 * The node at `segments`, or the deepest node on the way (a `!ref` whose value was substituted, say), so that
 * an error in resolved data points at the text that produced it.
 */
export function locate(root: Node | null | undefined, segments: Segments): Node | null | undefined {
  let node = root;
  for (const segment of segments) {
    let next: unknown;
    if (isMap(node)) {
      const name = String(segment);
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && (key.value === name || String(key.value) === name)) {
          next = pair.value;
          break;
        }
      }
    } else if (isSeq(node)) next = node.items[Number(segment)];
    if (!next || isAlias(next)) return node;
    node = next as Node;
  }
  return node;
}

/**
 * The offset in the source text of character `index` of a scalar's value, for pointing inside a JSONata
 * expression or a `!sub` string. Walks value and source side by side, skipping what the scalar's style added
 * (indentation, quotes, escapes, folded line breaks).
 */
export function scalarSourceOffset(text: string, node: Scalar, index: number): number {
  const [start, end] = node.range ?? [0, 0];
  const value = String(node.value);
  let src = start;
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) src++;
  else if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    const newline = text.indexOf('\n', start);
    src = newline < 0 || newline >= end ? end : newline + 1;
  }
  const limit = Math.min(index, value.length);
  for (let i = 0; i < limit; i++) {
    const c = value[i]!;
    const blank = c === ' ' || c === '\n';
    // Look a little ahead for the same character; a value character made by an escape has no twin in the text.
    for (let j = src; j < Math.min(end, src + 80); j++) {
      const s = text[j];
      if (s === c || (blank && (s === ' ' || s === '\n'))) {
        src = j + 1;
        break;
      }
    }
  }
  // Skip indentation and line breaks before the character itself.
  while (src < end && (text[src] === ' ' || text[src] === '\n' || text[src] === '\r') && value[limit] !== ' ' && value[limit] !== '\n')
    src++;
  return Math.min(src, Math.max(start, end - 1));
}

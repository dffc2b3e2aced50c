import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referencePath } from '@iiot/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, type Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { readPlainYaml } from '../src/_internal/plain-yaml.js';

// The fast reader must build exactly what `yaml` builds (values, core-schema types, tags, scalar styles, the
// source offsets issues are placed by, line starts) whenever it reads a file, and leave every other file to
// `yaml`.

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(f) ? [p] : [];
  });
}

const examples = referencePath('examples/');
const invalid = fileURLToPath(new URL('./fixtures/invalid/', import.meta.url));
const files = [...walk(join(examples, 'seed')), ...walk(join(examples, 'gallery')), ...walk(invalid)].map((f) => readFileSync(f, 'utf8'));

const edgeCases = [
  'a: 1\nb: -2.5e3\nc: 0x1F\nd: 0o17\ne: .inf\nf: -.Inf\ng: .nan\nh: ~\ni: Null\nj: TRUE\nk: false\nl: 007\nm: +12\nn: 1.\no: .5\np: -0\nq: 12abc\nr: true1\n',
  'a:\nb:   \nc: # comment\nd: x # comment\ne: x#y\nf: "x # y"\ng: \'it\'\'s\'\nh: ""\ni: \'\'\n',
  '1: one\ntrue: yes\nnull: nothing\n"quoted key": 1\n\'single\' : 2\nkey with spaces: 3\n',
  'r: !ref conn\ns: !sub \'$' + '{Cybus::MqttRoot}/x\'\nt: !sub "$' + '{a} b"\nu: !ref  spaced  # c\nv: !ref 123\n',
  'l: |\n  line 1\n\n    more\n  last\n\nm: |-\n  x\n  y\n\n\nn: |+\n  k\n\n\no: >\n  folded\n  text\n\n  para\np: >-\n  a\n  b\nq: | # c\n  z\n',
  's:\n  - a\n  - b: 1\n    c: 2\n  -\n  - # c\n  - "q"\n  - !ref x\nt:\n- same\n- indent\n',
  'resources:\n  m:\n    type: Cybus::Mapping\n    properties:\n      mappings:\n        - subscribe:\n            - endpoint: !ref p\n          publish:\n            topic: a/b\n          rules:\n            - transform:\n                expression: |\n                  { "v": $.value }\n',
  '# only a comment\na: 1\n\n\n# trailing\n',
  'a: 1\nb: 2',
  'w: |\n  a\n      \n  b\n    \nx: |-\n    k\n      \n',
  'x: |\n  no final break',
  'u:\n  - - nested\n',
  'a:\n  b: 1\n c: 2\n',
  'a: b: c\n',
  'a: 1\na: 2\n',
  'a: &x 1\nb: *x\n',
  'a: [1, 2]\n',
  'a: "multi\n  line"\n',
  'a: plain\n  continued\n',
  '---\na: 1\n',
  'a: !!str 1\n',
  'a:\n\tb: 1\n',
  'key\n',
  '- a\n- b\n',
  '',
];

const corpus = [...files, ...edgeCases];

function shape(node: unknown): unknown {
  if (isMap(node)) return { map: node.range?.[0], tag: node.tag, items: node.items.map((p) => [shape(p.key), shape(p.value)]) };
  if (isSeq(node)) return { seq: node.range?.[0], tag: node.tag, items: node.items.map(shape) };
  if (isScalar(node)) return { value: node.value, type: node.type, tag: node.tag, start: node.range?.[0], end: node.range?.[1] };
  return node;
}

/** Whether the fast reader read `text`; when it did, what it built equals `yaml`'s composition. */
function sameAsYaml(text: string): boolean {
  const fastLines = new LineCounter();
  const fast = readPlainYaml(text, fastLines);
  if (fast === undefined) {
    expect(fastLines.lineStarts).toEqual([]);
    return false;
  }
  const lines = new LineCounter();
  const customTags = ['!ref', '!sub'].map((tag) => ({ tag, resolve: (s: string) => s }));
  const doc = parseDocument(text, { lineCounter: lines, customTags, uniqueKeys: true, prettyErrors: false });
  expect(doc.errors).toEqual([]);
  expect(doc.warnings).toEqual([]);
  expect(shape(fast)).toEqual(shape(doc.contents as Node));
  expect(fastLines.lineStarts).toEqual(lines.lineStarts);
  return true;
}

describe('the fast YAML reader', () => {
  it('builds the nodes yaml builds for every file it reads, and reads the reference files', () => {
    const read = corpus.filter(sameAsYaml).length;
    // Most reference files are plain block YAML; the edge cases mix forms it reads and forms it leaves.
    expect(read).toBeGreaterThan(files.length / 2);
    expect(edgeCases.slice(0, 10).every(sameAsYaml)).toBe(true);
  });

  it('leaves aliases, flow collections, multi-line flow scalars, other tags and syntax errors to yaml', () => {
    for (const text of edgeCases.slice(10)) expect(readPlainYaml(text, new LineCounter())).toBeUndefined();
  });

  it('agrees with yaml on mutated files', () => {
    const pieces = [' ', '  ', '\n', ':', ': ', '- ', '-', '!ref ', '!sub ', '"', "'", "''", '#', ' #', '|', '|-', '|+', '>', '>-', '0', '1.5', '~', 'true', '.inf', 'x', '  - ', '\n  ', '\n    '];
    const snippet = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), fc.array(fc.tuple(fc.nat(), snippet, fc.nat(8)), { minLength: 1, maxLength: 4 }), (index, edits) => {
        let text = corpus[index]!;
        for (const [at, insert, remove] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + remove);
        }
        sameAsYaml(text);
      }),
      { numRuns: 1500 },
    );
  });
});

import { type Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

// The YAML 1.2 core schema, as `yaml` applies it to untagged plain scalars (its default schema).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** First characters of every plain scalar the core schema does not read as a string. */
const MAYBE_TYPED = /^[-+.0-9~nNtTfF]|^$/;

/** The value of an untagged plain scalar: null, boolean, number or the text itself. */
export function resolveCoreScalar(source: string): unknown {
  if (!MAYBE_TYPED.test(source)) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  if (INT.test(source)) return Number.parseInt(source, 10);
  if (INT_OCT.test(source)) return Number.parseInt(source.slice(2), 8);
  if (INT_HEX.test(source)) return Number.parseInt(source.slice(2), 16);
  if (FLOAT_SPECIAL.test(source)) return source.slice(-3).toLowerCase() === 'nan' ? Number.NaN : source[0] === '-' ? -Infinity : Infinity;
  if (FLOAT.test(source)) return Number.parseFloat(source);
  return source;
}

// `yaml` tells its nodes apart by a registered symbol (so that nodes of another copy of the library are known too).
// Nodes made from these prototypes are its classes' nodes to `isMap`, `isScalar` … and `instanceof`, without the
// cost of its constructors, which define that symbol on each instance: they took half of the reading time.
const NODE_TYPE = Symbol.for('yaml.node.type');
const prototypeOf = <T>(base: { prototype: T }, type: string): T =>
  Object.create(base.prototype as object, { [NODE_TYPE]: { value: Symbol.for(`yaml.${type}`) } }) as T;
const SCALAR = prototypeOf(Scalar, 'scalar');
export const MAP = prototypeOf(YAMLMap, 'map');
export const SEQ = prototypeOf(YAMLSeq, 'seq');
const PAIR = prototypeOf(Pair, 'pair');

/** A scalar node. */
export function newScalar(value: unknown, start: number, end: number, type: Scalar.Type, tag?: string): Scalar {
  const s = Object.create(SCALAR) as Scalar;
  s.value = value;
  s.range = [start, end, end];
  s.type = type;
  s.tag = tag;
  return s;
}

/** An empty map or sequence node starting at `start`. */
export function newCollection<T extends YAMLMap | YAMLSeq>(proto: T, start: number): T {
  const c = Object.create(proto) as T;
  c.items = [];
  c.range = [start, start, start];
  return c;
}

/** A map entry. */
export function newPair(key: Node, value: Node): Pair<Node, Node> {
  const pair = Object.create(PAIR) as Pair<Node, Node>;
  pair.key = key;
  pair.value = value;
  return pair;
}

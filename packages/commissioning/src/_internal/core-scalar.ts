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

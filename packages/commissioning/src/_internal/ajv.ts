import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../registry.js';

/** What a `!ref` points at, as the `reference` keyword sees it. */
export interface ReferenceTarget {
  readonly type: string;
  readonly protocol?: string;
}

/** The `reference` keyword: the value must be a `!ref` to a resource of the given type (and protocol). */
export interface ReferenceRule {
  readonly to: string;
  readonly protocol?: string;
}

let targets: ReadonlyMap<string, ReferenceTarget> = new Map();

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function describe(rule: ReferenceRule): string {
  return rule.protocol ? `${article(rule.protocol)} ${rule.protocol} ${rule.to}` : `${article(rule.to.replace('Cybus::', ''))} ${rule.to}`;
}

function checkReference(rule: ReferenceRule, data: unknown): ErrorObject | undefined {
  const ref = data as { kind?: unknown; id?: unknown } | null;
  // ajv fills in instancePath and schemaPath of errors a keyword returns without them.
  const error = (code: string, message: string) => ({ keyword: 'reference', params: { code }, message }) as unknown as ErrorObject;
  if (typeof ref !== 'object' || ref === null || (ref.kind !== 'resource' && ref.kind !== 'external')) {
    return error('EXPECTED_REFERENCE', `must be a !ref to ${describe(rule)}`);
  }
  if (ref.kind === 'external') return undefined;
  const target = targets.get(String(ref.id));
  if (!target) return undefined; // an unknown id is reported where the !ref is resolved
  const typeOk = target.type === rule.to;
  const protocolOk = rule.protocol === undefined || target.protocol === rule.protocol;
  if (typeOk && protocolOk) return undefined;
  const actual = target.protocol && target.type === 'Cybus::Connection' ? `${target.protocol} ${target.type}` : target.type;
  return error('WRONG_REFERENCE_KIND', `refers to ${String(ref.id)}, ${article(actual)} ${actual}; expected ${describe(rule)}`);
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
ajv.addKeyword({
  keyword: 'reference',
  schemaType: 'object',
  errors: true,
  validate: function validateReference(rule: ReferenceRule, data: unknown): boolean {
    const error = checkReference(rule, data);
    (validateReference as { errors?: ErrorObject[] }).errors = error ? [error] : [];
    return error === undefined;
  },
});

const compiled = new WeakMap<JsonSchema, ValidateFunction>();
// Parameter declarations arrive as new objects with every parse: share validators by text, and keep ajv's own
// cache (keyed by object) from growing.
const byText = new Map<string, ValidateFunction>();

/** Compiles (once per schema) a validator; throws when the schema is not valid. */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate) return validate;
  const text = JSON.stringify(schema);
  validate = byText.get(text);
  if (!validate) {
    validate = ajv.compile(schema);
    ajv.removeSchema(schema);
    if (byText.size >= 1000) byText.clear();
    byText.set(text, validate);
  }
  compiled.set(schema, validate);
  return validate;
}

/** Validates `data` (filling defaults in place) with the resources a `!ref` may point to; returns ajv's errors. */
export function validateWith(
  schema: JsonSchema,
  data: unknown,
  referenceTargets: ReadonlyMap<string, ReferenceTarget>,
): ErrorObject[] {
  const validate = compileSchema(schema);
  targets = referenceTargets;
  try {
    return validate(data) ? [] : [...(validate.errors ?? [])];
  } finally {
    targets = new Map();
  }
}

import { type Node, isMap, isScalar } from 'yaml';
import { parameterSpecSchema } from '../builtin-schemas.js';
import type { JsonSchema } from '../registry.js';
import type { ParameterSpec, ResolvedParameter } from '../types.js';
import { compileSchema, validateWith } from './ajv.js';
import { didYouMean, isSecretName } from './names.js';
import type { Resolver } from './resolve.js';
import { reportSchemaErrors } from './schema-errors.js';
import type { IssueCollector } from './source.js';

const NO_TARGETS = new Map();

/** A value given as text (a command line's `--param k=v`) converted to the declared type when it reads as one. */
function coerce(value: unknown, type: ParameterSpec['type']): unknown {
  if (typeof value !== 'string' || type === 'string') return value;
  const text = value.trim();
  if (type === 'number' || type === 'integer') return text !== '' && Number.isFinite(Number(text)) ? Number(text) : value;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : value;
  try {
    const parsed: unknown = JSON.parse(text);
    return type === 'array' ? (Array.isArray(parsed) ? parsed : value) : parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : value;
  } catch {
    return value;
  }
}

function valueSchema(spec: ParameterSpec): JsonSchema | undefined {
  const { default: _default, description: _description, ...schema } = spec;
  try {
    compileSchema(schema);
    return schema;
  } catch {
    return undefined;
  }
}

export interface ParameterResult {
  readonly parameters: Record<string, ResolvedParameter>;
  /** Names whose value is a secret (by name). */
  readonly secretNames: ReadonlySet<string>;
}

/** Validates the declarations, takes each value from `given` (coerced) or the default, and validates it. */
export function resolveParameters(
  node: Node | null | undefined,
  given: Readonly<Record<string, unknown>>,
  resolver: Resolver,
  issues: IssueCollector,
  parametersKey: Node | null | undefined,
): ParameterResult {
  const parameters: Record<string, ResolvedParameter> = {};
  const secretNames = new Set<string>();
  const declared = new Map<string, Node>();
  if (isMap(node)) {
    for (const pair of node.items) {
      const keyNode = pair.key as Node;
      if (!isScalar(keyNode)) continue;
      const name = String(keyNode.value);
      if (name === '__proto__') continue; // reported with the other names
      const path = ['parameters', name];
      declared.set(name, keyNode);
      if (isSecretName(name)) secretNames.add(name);
      const spec = resolver.value(pair.value, path) as ParameterSpec;
      const specErrors = validateWith(parameterSpecSchema, spec, NO_TARGETS);
      if (specErrors.length) {
        reportSchemaErrors(specErrors, { issues, root: pair.value as Node, path, subject: `parameter ${name}`, code: 'PARAMETER_SPEC_INVALID' });
        continue;
      }
      const schema = valueSchema(spec);
      if (!schema) {
        issues.report('PARAMETER_SPEC_INVALID', pair.value as Node, path, `Parameter ${name} has a pattern that is not a valid regular expression.`);
        continue;
      }
      const has = Object.hasOwn(given, name);
      if (!has && spec.default === undefined) {
        issues.report('PARAMETER_MISSING', keyNode, path, `Parameter ${name} has no default and no value was given.`, `pass a value for ${name}, for example --param ${name}=<value>`);
        continue;
      }
      const value = has ? coerce(given[name], spec.type) : spec.default;
      const valueErrors = validateWith(schema, value, NO_TARGETS);
      if (valueErrors.length) {
        const at = has ? keyNode : ((isMap(pair.value) && pair.value.items.find((p) => isScalar(p.key) && p.key.value === 'default')?.value) as Node) ?? keyNode;
        const source = has ? 'The value given for' : 'The default of';
        for (const e of valueErrors) {
          issues.report('PARAMETER_INVALID', at, path, `${source} parameter ${name} ${e.message ?? 'is invalid'}.`, e.keyword === 'enum' ? `allowed: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : undefined);
        }
        continue;
      }
      parameters[name] = { spec, value, source: has ? 'given' : 'default' };
    }
  }
  for (const name of Object.keys(given)) {
    if (declared.has(name)) continue;
    issues.report(
      'PARAMETER_UNKNOWN',
      parametersKey,
      ['parameters', name],
      `A value was given for parameter ${name}, which the file does not declare.`,
      didYouMean(name, declared.keys()) ?? 'declare it under parameters or stop passing it',
    );
  }
  return { parameters, secretNames };
}

import type { ErrorObject } from 'ajv';
import { type Node, isMap, isScalar } from 'yaml';
import type { IssueCode } from '../errors.js';
import { didYouMean } from './names.js';
import { type IssueCollector, type Segments, locate } from './source.js';

/** Where validated data came from: the YAML node it was resolved from and its path in the document. */
export interface SchemaErrorContext {
  readonly issues: IssueCollector;
  readonly root: Node | null | undefined;
  readonly path: Segments;
  /** What the data is, for messages: `parameter Aws_IoT_Endpoint_Address`, `resource x`. */
  readonly subject: string;
  /** Replaces INVALID_VALUE, MISSING_PROPERTY and UNKNOWN_PROPERTY (for parameter declarations). */
  readonly code?: IssueCode;
}

function segmentsOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** The key node of `key` in a map node (the map itself when the key is not there). */
export function keyNode(mapNode: Node | null | undefined, key: string): Node | null | undefined {
  if (!isMap(mapNode)) return mapNode;
  const pair = mapNode.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return (pair?.key as Node | undefined) ?? mapNode;
}

function describeValue(value: unknown): string {
  const ref = value as { kind?: string; id?: string; service?: string } | null;
  if (ref && typeof ref === 'object' && ref.kind === 'resource') return `a !ref to resource ${ref.id}`;
  if (ref && typeof ref === 'object' && ref.kind === 'external') return `a !ref to ${ref.service}::${ref.id}`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'empty';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Turns ajv's errors into issues at the nodes they concern, with did-you-mean hints for names. */
export function reportSchemaErrors(errors: readonly ErrorObject[], ctx: SchemaErrorContext): void {
  for (const error of errors) {
    // Wrappers and the branches of anyOf are summed up by their parent error.
    if (error.keyword === 'if' || /\/(propertyNames|anyOf)\//.test(error.schemaPath)) continue;
    // A value that could not be resolved (an unknown !ref, say) was reported where it is written.
    if (error.data === undefined) continue;
    if (error.keyword === 'required' && Object.hasOwn(error.data as object, String(error.params.missingProperty))) continue;
    const inner = segmentsOf(error.instancePath);
    const path = [...ctx.path, ...inner];
    const node = locate(ctx.root, inner);
    const last = inner[inner.length - 1];
    const what = last === undefined ? ctx.subject : typeof last === 'number' ? `item ${last} of ${String(inner[inner.length - 2] ?? ctx.subject)}` : last;
    const report = (code: IssueCode, at: Node | null | undefined, at_path: Segments, message: string, hint?: string) =>
      ctx.issues.report(ctx.code ?? code, at, at_path, message, hint);
    const params = error.params as Record<string, unknown>;
    const parentSchema = (error.parentSchema ?? {}) as { properties?: Record<string, unknown>; maxProperties?: number };
    switch (error.keyword) {
      case 'additionalProperties': {
        const name = String(params.additionalProperty);
        const allowed = Object.keys(parentSchema.properties ?? {});
        report(
          'UNKNOWN_PROPERTY',
          keyNode(node, name),
          [...path, name],
          `Unknown property "${name}" in ${what}.`,
          didYouMean(name, allowed) ?? (allowed.length ? `allowed: ${allowed.join(', ')}` : 'remove it'),
        );
        break;
      }
      case 'required':
        report('MISSING_PROPERTY', node, path, `${what} is missing the required property "${String(params.missingProperty)}".`);
        break;
      case 'anyOf': {
        const branches = (parentSchema as { anyOf?: { required?: string[] }[] }).anyOf ?? [];
        const names = branches.flatMap((b) => b.required ?? []);
        if (names.length === branches.length) report('MISSING_PROPERTY', node, path, `${what} needs one of ${names.join(', ')}.`);
        else report('INVALID_VALUE', node, path, `${what} matches none of the forms it may take.`);
        break;
      }
      case 'reference':
        ctx.issues.report(params.code as IssueCode, node, path, `${what} ${error.message ?? ''}.`);
        break;
      case 'enum': {
        const allowed = (params.allowedValues as unknown[]).map(String);
        const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
        report('INVALID_VALUE', node, path, `${what} is ${describeValue(error.data)}; it must be one of ${allowed.join(', ')}.`, hint);
        break;
      }
      case 'type':
        report('INVALID_VALUE', node, path, `${what} is ${describeValue(error.data)}; it must be ${String(params.type)}.`);
        break;
      case 'minProperties':
      case 'maxProperties':
        if (parentSchema.maxProperties === 1) {
          const keys = Object.keys((error.data as object) ?? {});
          report('INVALID_VALUE', node, path, `${what} must have exactly one key${keys.length ? `, not ${keys.join(', ')}` : ''}.`, 'write each rule as its own list item');
          break;
        }
        if (error.keyword === 'minProperties' && parentSchema.properties) {
          report('INVALID_VALUE', node, path, `${what} needs at least one of ${Object.keys(parentSchema.properties).join(', ')}.`);
          break;
        }
        report('INVALID_VALUE', node, path, `${what} ${error.message ?? 'is invalid'}.`);
        break;
      default:
        report('INVALID_VALUE', node, path, `${what} ${error.message ?? 'is invalid'}.`);
    }
  }
}

// The common case of a path: plain field names (`payload.DeviceData.Temperature`, `$.a.b`) over objects.
// It walks the properties directly; as soon as it meets an array it hands over to the general path
// evaluation, which handles mapping and flattening. Name lookups have no side effects, so starting over is safe.
import type { Evaluator } from './apply.js';
import type { AstNode, NodeCompiler } from './node.js';
import { isFunction, type Sequence } from './values.js';

const STEP_DECORATIONS = ['stages', 'predicate', 'group', 'tuple', 'focus', 'index', 'ancestor', 'keepArray'];

/** A step with nothing but its name or variable: no predicates, stages, grouping or bindings. */
export function isPlainStep(step: AstNode): boolean {
  return STEP_DECORATIONS.every((key) => step[key] === undefined);
}

/** A JSON object (not an array, not a function value). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isFunction(value);
}

/** A fast evaluator for a path of plain names, or `undefined` when the path has anything more. */
export function compileNamePath(node: AstNode, compile: NodeCompiler, general: Evaluator): Evaluator | undefined {
  const steps = node.steps as AstNode[];
  if (node.group !== undefined || node.keepSingletonArray || node.tuple || !steps.every(isPlainStep)) return undefined;
  const first = steps[0]!;
  const absolute = first.type === 'variable';
  const names = (absolute ? steps.slice(1) : steps).map((step) => step.value as string);
  if (names.length === 0 || !(absolute ? steps.slice(1) : steps).every((step) => step.type === 'name')) return undefined;
  const start = absolute ? compile(first) : undefined;
  const last = names.length - 1;
  return (input, env) => {
    let current = input;
    if (start) current = start(input, env);
    else if (Array.isArray(input)) return general(input, env);
    if (Array.isArray(current)) return general(input, env);
    for (let i = 0; i <= last; i++) {
      if (!isRecord(current)) return undefined;
      const name = names[i]!;
      current = Object.hasOwn(current, name) ? current[name] : undefined;
      if (Array.isArray(current) && (i < last || (current as Sequence).sequence)) return general(input, env);
    }
    return current;
  };
}

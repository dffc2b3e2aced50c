import { checkTopicName, compileTopicTemplate, isIiotError, parseTopicFilter } from '@iiot/core';
import jsonata from 'jsonata';
import { type Node, isScalar } from 'yaml';
import { isSimpleJsonata } from './jsonata-subset.js';
import { type IssueCollector, type Segments, locate, scalarSourceOffset } from './source.js';

/** What the semantic checks need: the text (for positions inside scalars) and where to report. */
export interface CheckContext {
  readonly text: string;
  readonly issues: IssueCollector;
  /** Syntax errors by expression text, so a repeated expression is parsed once per file. */
  readonly jsonataCache: Map<string, JsonataFailure | null>;
}

interface JsonataFailure {
  readonly message: string;
  readonly index: number;
}

type Obj = Record<string, unknown>;

function compileJsonata(expression: string, cache: CheckContext['jsonataCache']): JsonataFailure | null {
  let result = cache.get(expression);
  if (result !== undefined) return result;
  if (isSimpleJsonata(expression)) return null;
  try {
    jsonata(expression);
    result = null;
  } catch (error) {
    const e = error as { message?: string; position?: number; token?: unknown };
    const token = typeof e.token === 'string' && e.token !== '(end)' ? e.token.length : 1;
    result = { message: e.message ?? String(error), index: Math.max(0, (e.position ?? 0) - token) };
  }
  cache.set(expression, result);
  return result;
}

/** Reports a JSONata syntax error at its line and column inside the expression's scalar. */
function checkExpression(ctx: CheckContext, expression: unknown, node: Node | null | undefined, path: Segments): void {
  if (typeof expression !== 'string') return;
  const failure = compileJsonata(expression, ctx.jsonataCache);
  if (!failure) return;
  const at = isScalar(node) && node.value === expression ? scalarSourceOffset(ctx.text, node, failure.index) : (node ?? undefined);
  ctx.issues.report('JSONATA_SYNTAX', at, path, `JSONata syntax error: ${failure.message}.`, 'fix the expression; see https://docs.jsonata.org');
}

/** Compiles every JSONata expression of a rule chain; returns the names `setContextVars` sets. */
export function checkRules(ctx: CheckContext, rules: unknown, rulesNode: Node | null | undefined, path: Segments): Set<string> {
  const vars = new Set<string>();
  if (!Array.isArray(rules)) return vars;
  rules.forEach((rule: Obj, i) => {
    for (const kind of ['transform', 'filter'] as const) {
      const options = rule?.[kind] as Obj | undefined;
      if (options) checkExpression(ctx, options.expression, locate(rulesNode, [i, kind, 'expression']), [...path, i, kind, 'expression']);
    }
    const set = (rule?.setContextVars as Obj | undefined)?.vars as Obj | undefined;
    if (set && typeof set === 'object') {
      for (const [name, expression] of Object.entries(set)) {
        vars.add(name);
        checkExpression(ctx, expression, locate(rulesNode, [i, 'setContextVars', 'vars', name]), [...path, i, 'setContextVars', 'vars', name]);
      }
    }
  });
  return vars;
}

/** Parses a topic filter with named wildcards; returns its names, or none when it is invalid (reported). */
export function checkFilter(ctx: CheckContext, filter: unknown, node: Node | null | undefined, path: Segments): readonly string[] {
  if (typeof filter !== 'string') return [];
  try {
    return parseTopicFilter(filter).names;
  } catch (error) {
    ctx.issues.report('TOPIC_FILTER_INVALID', node, path, messageOf(error), 'a wildcard fills a whole level: a/+name/b or a/#rest');
    return [];
  }
}

/** Checks a topic that is published to (no wildcards). */
export function checkTopic(ctx: CheckContext, topic: unknown, node: Node | null | undefined, path: Segments): void {
  if (typeof topic !== 'string') return;
  const why = checkTopicName(topic);
  if (why) ctx.issues.report('TOPIC_NAME_INVALID', node, path, `Topic "${topic}" cannot be published to: ${why}.`);
}

/** Checks a publish-topic template against the names available to it. */
export function checkTemplate(
  ctx: CheckContext,
  template: unknown,
  names: ReadonlySet<string>,
  node: Node | null | undefined,
  path: Segments,
): void {
  if (typeof template !== 'string') return;
  try {
    const compiled = compileTopicTemplate(template, { names });
    const sample = compiled.render(Object.fromEntries(compiled.names.map((n) => [n, 'x'])));
    checkTopic(ctx, sample, node, path);
  } catch (error) {
    const code = isIiotError(error, 'TOPIC_TEMPLATE_UNKNOWN_NAME') ? 'PUBLISH_NAME_NOT_CAPTURED' : 'TOPIC_TEMPLATE_INVALID';
    ctx.issues.report(code, node, path, messageOf(error));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

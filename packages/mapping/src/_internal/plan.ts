import { MappingError } from '../errors.js';
import type { ExpressionEngine } from '../expression-engine.js';
import type { CovRuleOptions, RuleSpec, RuleType } from '../types.js';
import { burstRule } from '../burst.js';
import { collectRule } from '../collect.js';
import { covRule } from '../cov.js';
import { filterRule } from '../filter.js';
import { parseRule } from '../parse.js';
import { setContextVarsRule } from '../set-context-vars.js';
import { stashRule } from '../stash.js';
import { transformRule } from '../transform.js';
import { type RulePlan, ruleName } from './step.js';

const RULE_TYPES: readonly RuleType[] = ['transform', 'filter', 'parse', 'setContextVars', 'stash', 'cov', 'collect', 'burst'];

/** A planned rule with the position of its (first) rule in the entry. */
export interface PlannedRule {
  readonly index: number;
  readonly plan: RulePlan;
}

function typeOf(spec: unknown, index: number, mapping: string): RuleType {
  const keys = spec !== null && typeof spec === 'object' ? Object.keys(spec) : [];
  const type = keys[0] as RuleType;
  if (keys.length !== 1 || !RULE_TYPES.includes(type)) {
    throw new MappingError(
      'RULE_INVALID',
      `Mapping ${mapping}, rule ${index + 1}: a rule is an object with exactly one of the keys ${RULE_TYPES.join(', ')}; got ${keys.length ? keys.join(', ') : JSON.stringify(spec)}.`,
      { details: { mapping, rule: index } },
    );
  }
  return type;
}

/**
 * Validates the rules of an entry and compiles their expressions once. Adjacent `cov` rules form one step
 * that passes a message when any of them sees a change, as the reference design's gallery documents.
 */
export function planRules(rules: readonly RuleSpec[], engine: ExpressionEngine, mapping: string): PlannedRule[] {
  const planned: PlannedRule[] = [];
  for (let index = 0; index < rules.length; index++) {
    const spec = rules[index] as unknown as Record<string, never>;
    const type = typeOf(spec, index, mapping);
    const options = spec[type] as never;
    const where = `Mapping ${mapping}: ${ruleName(type, index)}`;
    if (type === 'cov') {
      const group: CovRuleOptions[] = [options];
      while (index + 1 < rules.length && typeOf(rules[index + 1], index + 1, mapping) === 'cov') {
        index++;
        group.push((rules[index] as { cov: CovRuleOptions }).cov);
      }
      planned.push({ index: index - group.length + 1, plan: covRule(group, where) });
      continue;
    }
    planned.push({ index, plan: planOne(type, options, engine, where) });
  }
  return planned;
}

function planOne(type: RuleType, options: never, engine: ExpressionEngine, where: string): RulePlan {
  switch (type) {
    case 'transform':
      return transformRule(options, engine, where);
    case 'filter':
      return filterRule(options, engine, where);
    case 'setContextVars':
      return setContextVarsRule(options, engine, where);
    case 'parse':
      return parseRule(options, where);
    case 'stash':
      return stashRule(options, where);
    case 'collect':
      return collectRule();
    case 'burst':
      return burstRule(options, where);
    default:
      return covRule([options], where);
  }
}

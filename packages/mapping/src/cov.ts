import type { OperatorFunction } from 'rxjs';
import type { Message } from '@iiot/core';
import { MappingError } from './errors.js';
import { deepEqual, setBounded } from './_internal/bounded.js';
import { ruleOperator, type RuleOperatorOptions } from './_internal/rule-operator.js';
import type { RulePlan } from './_internal/step.js';
import type { CovRuleOptions } from './types.js';

/** Options of the `cov` rule. */
export interface CovOptions extends RuleOperatorOptions, CovRuleOptions {}

function read(payload: unknown, key: string): unknown {
  if (payload === null || typeof payload !== 'object') return undefined;
  const record = payload as Record<string, unknown>;
  if (Object.hasOwn(record, key) || !key.includes('.')) return record[key];
  return key.split('.').reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), payload);
}

function changed(criterion: CovRuleOptions, before: unknown, now: unknown): boolean {
  const { deadband } = criterion;
  if (deadband === undefined || typeof before !== 'number' || typeof now !== 'number') return !deepEqual(before, now);
  const delta = Math.abs(now - before);
  if (criterion.deadbandMode === 'relative') {
    return before === 0 ? delta > 0 : (delta / Math.abs(before)) * 100 >= deadband;
  }
  return delta >= deadband;
}

function validate(criterion: CovRuleOptions, where: string): CovRuleOptions {
  const { key, deadband, deadbandMode } = criterion ?? {};
  if (typeof key !== 'string' || key === '') throw new MappingError('RULE_INVALID', `${where} needs a key: the payload field to watch.`);
  if (deadband !== undefined && (typeof deadband !== 'number' || !(deadband >= 0))) {
    throw new MappingError('RULE_INVALID', `${where} has deadband ${String(deadband)}; use a number ≥ 0.`);
  }
  if (deadbandMode !== undefined && deadbandMode !== 'absolute' && deadbandMode !== 'relative') {
    throw new MappingError('RULE_INVALID', `${where} has deadbandMode "${String(deadbandMode)}"; use absolute or relative.`);
  }
  return criterion;
}

/**
 * Plans one `cov` step over one or more criteria (adjacent `cov` rules of a chain form one group): the first
 * message of a topic passes; later ones pass when any criterion changed beyond its deadband from the values
 * of the last message that passed. State is kept per concrete source topic, bounded by `maxStateEntries`.
 */
export function covRule(criteria: readonly CovRuleOptions[], where: string): RulePlan {
  const checked = criteria.map((criterion) => validate(criterion, where));
  return {
    type: 'cov',
    create: (state, ref) => {
      const passed = new Map<string, unknown[]>();
      return {
        ref,
        process(message) {
          const now = checked.map((criterion) => read(message.payload, criterion.key));
          const before = passed.get(message.topic);
          if (before && !checked.some((criterion, i) => changed(criterion, before[i], now[i]))) return undefined;
          setBounded(passed, message.topic, now, state.maxStateEntries);
          return message;
        },
      };
    },
  };
}

/** Passes a message only when `key` changed (beyond `deadband`) since the last message that passed. */
export function cov(options: CovOptions): OperatorFunction<Message, Message> {
  return ruleOperator(covRule([options], 'The cov rule'), options);
}

export type { MappingErrorCode } from './errors.js';
export { MappingError } from './errors.js';
export type { CompiledExpression, ExpressionEngine, JsonataEngineOptions } from './expression-engine.js';
export { createJsonataEngine, variablesOf } from './expression-engine.js';
export type {
  BurstRuleOptions,
  CovRuleOptions,
  DeadbandMode,
  MappingEntry,
  MappingMessage,
  MessageContext,
  ParseFormat,
  RuleSpec,
  RuleType,
  SubscriptionSpec,
} from './types.js';
export type {
  DeadLetter,
  MappingMetrics,
  MappingPipeline,
  MappingPipelineOptions,
  OverflowPolicy,
  RuleMetrics,
  RuleRef,
} from './pipeline.js';
export { createMappingPipeline } from './pipeline.js';
export type { RuleOperatorOptions } from './_internal/rule-operator.js';
export type { TransformOptions } from './transform.js';
export { transform } from './transform.js';
export type { FilterOptions } from './filter.js';
export { filter, isTruthy } from './filter.js';
export type { ParseOptions } from './parse.js';
export { PARSE_FORMATS, parse, parsePayload } from './parse.js';
export type { SetContextVarsOptions } from './set-context-vars.js';
export { setContextVars } from './set-context-vars.js';
export type { StashOptions } from './stash.js';
export type { StashStore } from './stash-store.js';
export { stash } from './stash.js';
export { createStashStore } from './stash-store.js';
export type { CovOptions } from './cov.js';
export { cov } from './cov.js';
export type { CollectOptions } from './collect.js';
export { collect } from './collect.js';
export type { BurstOptions } from './burst.js';
export { burst } from './burst.js';

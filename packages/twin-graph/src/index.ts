export type { Caller } from './access.js';
export type { TwinClock } from './clock.js';
export { systemClock } from './clock.js';
export type {
  AggregateDefinition,
  AggregateOp,
  DeriveDefinition,
  Permission,
  PolicyEntryDefinition,
  PolicyResourceDefinition,
  PropertyDefinition,
  SetpointDefinition,
  SourceDefinition,
  TwinDefinition,
  TwinGraphDefinition,
} from './definition.js';
export type { TwinErrorCode, TwinProblem } from './errors.js';
export { TwinAccessError, TwinConfigError } from './errors.js';
export type { CompiledExpression, ExpressionEngine } from './expression.js';
export { createSyncJsonataEngine } from './expression.js';
export type { AggregateThresholds, Quality, QualitySeverity } from './quality.js';
export {
  aggregateQuality,
  compareQuality,
  isQuality,
  QUALITY_CODES,
  qualitySeverity,
  worstQuality,
} from './quality.js';
export type { Cause, Explanation, ImpactResult, PropertyKind, PropertyReading, TwinReading, WriteResult } from './readings.js';
export { TWIN_GRAPH_RESOURCE_TYPE, TWIN_RESOURCE_TYPE, twinGraphSchema, twinResourceSchemas, twinSchema } from './schema.js';
export type { AccessOptions, ImpactOptions, ImpactRoot, TwinGraphOptions } from './twin-graph.js';
export { createTwinGraph, TwinGraph } from './twin-graph.js';
export type { ParseTwinGraphYamlOptions } from './yaml.js';
export { loadTwinGraph, parseTwinGraphYaml } from './yaml.js';

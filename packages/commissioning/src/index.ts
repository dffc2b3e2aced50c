export type { CommissioningIssue, IssueCode, CommissioningErrorCode } from './errors.js';
export { CommissioningError, formatIssue } from './errors.js';
export type {
  ResourceReference,
  ExternalReference,
  Reference,
  ServiceMetadata,
  ParameterSpec,
  ResolvedParameter,
  ConnectionStrategy,
  BufferingOptions,
  MqttConnectionOptions,
  OpcuaConnectionOptions,
  ConnectionProperties,
  MqttAddress,
  OpcuaAddress,
  Rule,
  EndpointProperties,
  MappingSubscribe,
  MappingPublish,
  MappingEntry,
  MappingProperties,
  Permission,
  UserProperties,
  RoleProperties,
  ResourcePropertiesByType,
  ResourceDefinition,
  ServiceDefinition,
} from './types.js';
export { isResourceType } from './types.js';
export type { BrokerInfo, CommissioningOptions, ValidationResult } from './commissioning.js';
export { validateCommissioning, parseCommissioning, loadCommissioningFile } from './commissioning.js';
export type { JsonSchema, ProtocolSchema, ResourceTypeSchema, SchemaRegistry, SchemaRegistryOptions, SchemaRegistryErrorCode } from './registry.js';
export { createSchemaRegistry } from './registry.js';
export { mqttProtocol, opcuaProtocol } from './protocol-schemas.js';
export type { ServiceDiff } from './diff.js';
export { diffServices } from './diff.js';
export { createCommissioningJsonSchema } from './file-schema.js';

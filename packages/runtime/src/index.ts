export type { RuntimeErrorCode } from './errors.js';
export { RuntimeError, isRuntimeError } from './errors.js';
export type { LoggerOptions, Logger } from './logger.js';
export { createLogger } from './logger.js';
export type { Permission, BrokerUser, AccessControl } from './broker/access-control.js';
export { createAccessControl } from './broker/access-control.js';
export type { EmbeddedBrokerOptions } from './broker/embedded-broker.js';
export type { ConnectorRegistry } from './connector-registry.js';
export { createConnectorRegistry } from './connector-registry.js';
export type { HttpOptions } from './http/observability-server.js';
export { renderPrometheus } from './http/prometheus.js';
export type { ResourceState, FlowMetrics, BufferMetrics } from './resources/types.js';
export type { ServiceState, ServiceStatus, ResourceStatus, Deviation } from './service-instance.js';
export type {
  ExternalBrokerOptions,
  RuntimeOptions,
  InstallOptions,
  ReconfigureChange,
  CommissioningInput,
  RuntimeStatus,
  Runtime,
} from './runtime-options.js';
export { createRuntime } from './runtime.js';
export type { ServicePlan } from './plan.js';
export { planService } from './plan.js';
export type { MqttConnectorOptions } from './connectors/mqtt-connector.js';
export { createMqttConnectorFactory, isAwsIotHost } from './connectors/mqtt-connector.js';

export type { OpcuaErrorCode } from './errors.js';
export { OpcuaError, isOpcuaError } from './errors.js';
export type {
  ConnectionStrategy,
  OpcuaConnectionOptions,
  OpcuaSecurityMode,
  OpcuaSecurityPolicy,
  ResolvedConnectionOptions,
} from './connection-options.js';
export { resolveConnectionOptions } from './connection-options.js';
export type { OpcuaAddress, ResolvedAddress } from './address.js';
export { resolveAddress } from './address.js';
export type { OpcuaDataMessage } from './data-message.js';
export { LOST_STATUS } from './data-message.js';
export type { OpcuaConnector, OpcuaConnectorOptions } from './opcua-connector.js';
export { createOpcuaConnector } from './opcua-connector.js';
export type { OpcuaConnectorFactoryOptions } from './opcua-connector-factory.js';
export { createOpcuaConnectorFactory } from './opcua-connector-factory.js';
export { opcuaAddressSchema, opcuaConnectionSchema } from './schemas.js';

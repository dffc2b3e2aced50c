import type { ConnectorFactory } from '@iiot/core';
import type { OpcuaConnectionOptions } from './connection-options.js';
import { createOpcuaConnector } from './opcua-connector.js';
import { opcuaAddressSchema, opcuaConnectionSchema } from './schemas.js';

/** Defaults the factory gives every connection it creates. */
export interface OpcuaConnectorFactoryOptions {
  /** The PKI folder of connections whose properties name none. @default node-opcua's per-user folder */
  pkiDir?: string;
}

/**
 * The `Opcua` protocol for a connector registry: one `createOpcuaConnector` per `Cybus::Connection`, whose
 * properties the registry has checked against `connectionSchema`.
 */
export function createOpcuaConnectorFactory(options: OpcuaConnectorFactoryOptions = {}): ConnectorFactory {
  return {
    protocol: 'Opcua',
    connectionSchema: opcuaConnectionSchema,
    addressSchema: opcuaAddressSchema,
    create: (properties, context) =>
      createOpcuaConnector({
        ...(options.pkiDir !== undefined && { pkiDir: options.pkiDir }),
        ...(properties as unknown as OpcuaConnectionOptions),
        resourceId: `${context.serviceId}/${context.resourceId}`,
        ...(context.log && { log: context.log }),
      }),
  };
}

import type { ConnectorFactory } from '@iiot/core';
import type { OpcuaConnectionOptions } from './connection-options.js';
import { opcuaAddressSchema, opcuaConnectionSchema } from './schemas.js';

/** Defaults the factory gives every connection it creates. */
export interface OpcuaConnectorFactoryOptions {
  /** The PKI folder of connections whose properties name none. @default node-opcua's per-user folder */
  pkiDir?: string;
}

/**
 * The `Opcua` protocol for a connector registry: one `createOpcuaConnector` per `Cybus::Connection`, whose
 * properties the registry has checked against `connectionSchema`. node-opcua (about 70 MiB of heap and code) is
 * loaded when the first OPC UA connection is created, so a runtime without one does not pay for it.
 */
export function createOpcuaConnectorFactory(options: OpcuaConnectorFactoryOptions = {}): ConnectorFactory {
  return {
    protocol: 'Opcua',
    connectionSchema: opcuaConnectionSchema,
    addressSchema: opcuaAddressSchema,
    create: async (properties, context) => {
      const { createOpcuaConnector } = await import('./opcua-connector.js');
      return createOpcuaConnector({
        ...(options.pkiDir !== undefined && { pkiDir: options.pkiDir }),
        ...(properties as unknown as OpcuaConnectionOptions),
        resourceId: `${context.serviceId}/${context.resourceId}`,
        ...(context.log && { log: context.log }),
      });
    },
  };
}

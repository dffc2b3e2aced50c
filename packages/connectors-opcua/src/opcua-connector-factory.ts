import type { ConnectorFactory } from '@iiot/core';
import type { OpcuaConnectionOptions } from './connection-options.js';
import { createOpcuaConnector } from './opcua-connector.js';
import { opcuaAddressSchema, opcuaConnectionSchema } from './schemas.js';

/** The `Opcua` protocol for a connector registry: one `createOpcuaConnector` per `Cybus::Connection`. */
export function createOpcuaConnectorFactory(): ConnectorFactory<OpcuaConnectionOptions> {
  return {
    protocol: 'Opcua',
    connectionSchema: opcuaConnectionSchema,
    addressSchema: opcuaAddressSchema,
    create: (properties, context) =>
      createOpcuaConnector({
        ...properties,
        resourceId: `${context.serviceId}/${context.resourceId}`,
        ...(context.log && { log: context.log }),
      }),
  };
}

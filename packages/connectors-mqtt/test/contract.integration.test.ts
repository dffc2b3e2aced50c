import { mosquittoAvailable, startMosquitto } from '@iiot/test-support';
import { describeConnectorContract } from '@iiot/test-support/connector-contract';
import { describe } from 'vitest';
import { createMqttConnection } from '../src/index.js';
import { startAedes } from './fixtures/aedes-broker.js';
import { waitForStatus } from './fixtures/helpers.js';

interface Broker {
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The connector as the contract sees it: one connection as both source and sink, on its own broker. */
function factory(startBroker: () => Promise<Broker>) {
  return async () => {
    const broker = await startBroker();
    const connection = createMqttConnection({ host: '127.0.0.1', port: broker.port, connectionStrategy: { initialDelay: 50 } });
    await connection.connect();
    return {
      source: connection.subscribe('contract/+i', { qos: 1 }),
      sink: connection,
      message: (i: number) => ({ topic: `contract/${i}`, payload: Buffer.from(`message ${i}`), qos: 1 as const, timestamp: Date.now() }),
      goOffline: async () => {
        await broker.stop();
        await waitForStatus(connection, 'reconnecting');
      },
      goOnline: async () => {
        await broker.start();
        await waitForStatus(connection, 'connected');
      },
      close: async () => {
        await connection.close();
        await broker.close();
      },
    };
  };
}

describeConnectorContract('MQTT connection on aedes', { create: factory(() => startAedes()) });

describe.runIf(mosquittoAvailable())('on Mosquitto', () => {
  describeConnectorContract('MQTT connection on Mosquitto', { create: factory(() => startMosquitto()) });
});

import type { ConnectorState } from '@iiot/core';
import { mosquittoAvailable, startMosquitto } from '@iiot/test-support';
import { describeConnectorContract } from '@iiot/test-support/connector-contract';
import { describe } from 'vitest';
import { createMqttConnectorFactory } from '../src/index.js';

async function reaches(current: () => ConnectorState, wanted: (state: ConnectorState) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!wanted(current())) {
    if (Date.now() > deadline) throw new Error(`connector stayed ${current()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.runIf(mosquittoAvailable())('the built-in Mqtt connector', () => {
  describeConnectorContract('Mqtt ConnectorFactory of the runtime', {
    async create() {
      const broker = await startMosquitto();
      const connector = await createMqttConnectorFactory().create(
        { host: '127.0.0.1', port: broker.port, connectionStrategy: { initialDelay: 50, maxDelay: 200, incrementFactor: 2 } },
        { resourceId: 'contract', serviceId: 'test' },
      );
      const state = () => connector.currentStatus().state;
      await reaches(state, (s) => s === 'connected');
      return {
        source: connector.source({ topic: 'contract/+i', qos: 1 }),
        sink: connector.sink,
        message: (i: number) => ({ topic: `contract/${i}`, payload: Buffer.from(`message ${i}`), qos: 1 as const, timestamp: Date.now() }),
        async goOffline() {
          await broker.stop();
          await reaches(state, (s) => s !== 'connected');
        },
        async goOnline() {
          await broker.start();
          await reaches(state, (s) => s === 'connected');
        },
        async close() {
          await connector.close();
          await broker.close();
        },
      };
    },
  });
});

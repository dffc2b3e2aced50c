import { mosquittoAvailable, type MosquittoHandle, startMosquitto } from '@iiot/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMqttConnection } from '../src/index.js';
import { collect, text } from './fixtures/helpers.js';

describe.runIf(mosquittoAvailable())('MQTT 5 (Mosquitto)', () => {
  let broker: MosquittoHandle;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(() => broker.close());

  it('connects with protocolVersion 5, passes publish properties through and resumes its session', async () => {
    const options = {
      host: '127.0.0.1',
      port: broker.port,
      protocolVersion: 5 as const,
      clientId: 'v5-client',
      clean: false,
      mqttOptions: { properties: { sessionExpiryInterval: 300 } },
    };
    const c = createMqttConnection(options);
    await c.connect();
    const received = collect(c.subscribe('v5/+kind', { qos: 1 }));
    await c.publish({ topic: 'v5/reading', payload: '1', qos: 1, timestamp: Date.now() }, { properties: { contentType: 'text/plain' } });
    const [message] = await received.until(1);
    expect(message?.vars).toEqual({ kind: 'reading' });
    expect(text(message)).toBe('1');
    await c.close();

    const again = createMqttConnection(options);
    await again.connect();
    expect(again.status().sessionPresent).toBe(true);
    await again.close();
  });
});

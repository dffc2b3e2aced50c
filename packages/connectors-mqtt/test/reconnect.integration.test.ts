import { mosquittoAvailable, startMosquitto } from '@iiot/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMqttConnection, DEFAULT_CONNECTION_STRATEGY, type MqttClock } from '../src/index.js';
import { startAedes } from './fixtures/aedes-broker.js';
import { collect, text, waitForStatus } from './fixtures/helpers.js';

interface RestartableBroker {
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A clock that records every delay asked of it and runs it 50 times faster, and whose `now` a test can move
 * forward, so a connection counts as stable without waiting for it.
 */
function recordingClock() {
  const delays: number[] = [];
  let offset = 0;
  const clock: MqttClock = {
    now: () => Date.now() + offset,
    setTimeout: (callback, ms) => {
      delays.push(ms);
      return setTimeout(callback, ms / 50);
    },
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  return { clock, delays, advance: (ms: number) => (offset += ms) };
}

/** A fixed sequence of jitter values, recorded as they are drawn. */
function recordingRandom() {
  const drawn: number[] = [];
  const values = [0.93, 0.41, 0.77, 0.05, 0.62, 0.28, 0.99, 0.5];
  return { drawn, random: () => drawn[drawn.push(values[drawn.length % values.length]!) - 1]! };
}

function reconnectSuite(startBroker: () => Promise<RestartableBroker>): void {
  let broker: RestartableBroker;
  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(() => broker.close());

  it('recovers from 5 restarts, re-subscribes each time, and waits as the strategy says', async () => {
    const { clock, delays, advance } = recordingClock();
    const { drawn, random } = recordingRandom();
    const c = createMqttConnection({ host: '127.0.0.1', port: broker.port, clock, random });
    await c.connect();
    const received = collect(c.subscribe('cycle/+n', { qos: 1 }));
    const cycles: Array<{ reset: boolean; delays: number[] }> = [];

    for (let n = 1; n <= 5; n++) {
      // Cycle 4 drops right after connecting: no stable connection, so its backoff carries on from cycle 3.
      const reset = n !== 4;
      if (reset) advance(DEFAULT_CONNECTION_STRATEGY.stableAfter);
      const first = delays.length;
      await broker.stop();
      // At least three waits per outage, so the growth of the bound shows.
      await waitForStatus(c, (s) => s.state === 'reconnecting' && delays.length >= first + 3);
      await broker.start();
      await waitForStatus(c, 'connected');
      await c.publish({ topic: `cycle/${n}`, payload: `after restart ${n}`, qos: 1, timestamp: clock.now() });
      const message = (await received.until(n))[n - 1];
      expect(message?.vars).toEqual({ n: String(n) });
      expect(text(message)).toBe(`after restart ${n}`);
      cycles.push({ reset, delays: delays.slice(first) });
    }

    const { initialDelay, maxDelay, incrementFactor } = DEFAULT_CONNECTION_STRATEGY;
    let attempt = 0;
    let draw = 0;
    for (const cycle of cycles) {
      if (cycle.reset) attempt = 0;
      for (const delay of cycle.delays) {
        const bound = Math.min(maxDelay, initialDelay * incrementFactor ** attempt++);
        expect(delay).toBe(Math.floor(drawn[draw++]! * bound));
      }
    }
    expect(draw).toBe(drawn.length);
    expect(cycles[3]!.delays[0]).toBeGreaterThan(initialDelay * incrementFactor ** 2);
    await c.close();
  });
}

describe('reconnect (aedes)', () => {
  reconnectSuite(() => startAedes());
});

describe.runIf(mosquittoAvailable())('reconnect (Mosquitto)', () => {
  reconnectSuite(() => startMosquitto());
});

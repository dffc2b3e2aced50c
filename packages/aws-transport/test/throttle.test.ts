import { describe, expect, it } from 'vitest';
import { createThrottle } from '../src/index.js';
import { createManualClock } from './fixtures/manual-clock.js';

async function countReleased(acquires: Promise<void>[]) {
  let released = 0;
  for (const p of acquires) void p.then(() => released++);
  await Promise.resolve();
  return () => released;
}

describe('createThrottle', () => {
  it('releases at most the publish rate per second after the burst', async () => {
    const clock = createManualClock();
    const throttle = createThrottle({ publishesPerSecond: 100, burstSeconds: 0.1, clock });
    const released = await countReleased(Array.from({ length: 500 }, () => throttle.acquire(10)));
    await clock.advance(0);
    expect(released()).toBe(10);
    await clock.advance(1000);
    expect(released()).toBe(110);
    await clock.advance(2000);
    expect(released()).toBe(310);
    expect(throttle.waiting).toBe(190);
  });

  it('releases at most the byte rate per second', async () => {
    const clock = createManualClock();
    const throttle = createThrottle({ publishesPerSecond: 10_000, bytesPerSecond: 10_000, burstSeconds: 0.1, clock });
    const released = await countReleased(Array.from({ length: 100 }, () => throttle.acquire(1000)));
    await clock.advance(0);
    expect(released()).toBe(1);
    await clock.advance(1000);
    // 1,000 bytes of burst plus 10,000 bytes earned: 11 publishes of 1,000 bytes.
    expect(released()).toBe(11);
  });

  it('lets one publish larger than the byte burst through once the bucket is full, then waits off the debt', async () => {
    const clock = createManualClock();
    const throttle = createThrottle({ publishesPerSecond: 1000, bytesPerSecond: 1000, burstSeconds: 0.1, clock });
    const released = await countReleased([throttle.acquire(5000), throttle.acquire(10)]);
    await clock.advance(0);
    expect(released()).toBe(1);
    await clock.advance(4000);
    expect(released()).toBe(1);
    await clock.advance(1100);
    expect(released()).toBe(2);
  });

  it('keeps the order of waiting publishes', async () => {
    const clock = createManualClock();
    const throttle = createThrottle({ publishesPerSecond: 10, burstSeconds: 0.1, clock });
    const order: number[] = [];
    const all = Array.from({ length: 5 }, (_, i) => throttle.acquire(i * 100).then(() => order.push(i)));
    await clock.advance(1000);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('counts messages received against the same allowance', async () => {
    const clock = createManualClock();
    const throttle = createThrottle({ publishesPerSecond: 100, burstSeconds: 0.1, clock });
    for (let i = 0; i < 50; i++) throttle.charge(10);
    const released = await countReleased([throttle.acquire(10)]);
    await clock.advance(400);
    expect(released()).toBe(0);
    await clock.advance(200);
    expect(released()).toBe(1);
  });

  it('rejects waiting publishes when closed', async () => {
    const clock = createManualClock();
    const throttle = createThrottle({ publishesPerSecond: 1, burstSeconds: 1, clock });
    await throttle.acquire(1);
    const waiting = throttle.acquire(1);
    throttle.close(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    await expect(throttle.acquire(1)).rejects.toThrow('closed');
  });
});

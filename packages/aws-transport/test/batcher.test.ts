import { describe, expect, it } from 'vitest';
import { type Batch, createBatcher } from '../src/index.js';
import { createManualClock } from './fixtures/manual-clock.js';

function setup(options: { maxBytes?: number; maxLatencyMs?: number; maxMessages?: number }) {
  const clock = createManualClock();
  const batches: Batch<number>[] = [];
  const batcher = createBatcher<number>({ ...options, clock, emit: (b) => batches.push(b) });
  return { clock, batches, batcher };
}

describe('createBatcher', () => {
  it('sends one JSON array per topic when the latency budget is spent', async () => {
    const { clock, batches, batcher } = setup({ maxLatencyMs: 200 });
    batcher.add('a', '{"v":1}', 1);
    batcher.add('b', '2', 2);
    batcher.add('a', '{"v":3}', 3);
    await clock.advance(199);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    expect(batches.map((b) => [b.topic, b.payload.toString(), b.members])).toEqual([
      ['a', '[{"v":1},{"v":3}]', [1, 3]],
      ['b', '[2]', [2]],
    ]);
    expect(batcher.pending).toBe(0);
  });

  it('never exceeds the size budget and keeps order across batches', () => {
    const { batches, batcher } = setup({ maxBytes: 20, maxLatencyMs: 1000 });
    for (let i = 0; i < 10; i++) batcher.add('t', `"${i}${i}"`, i);
    batcher.flush();
    for (const b of batches) expect(b.payload.byteLength).toBeLessThanOrEqual(20);
    expect(batches.flatMap((b) => JSON.parse(b.payload.toString()))).toEqual(Array.from({ length: 10 }, (_, i) => `${i}${i}`));
    expect(batches.flatMap((b) => b.members)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('sends a batch as soon as it holds the most messages allowed', () => {
    const { batches, batcher } = setup({ maxMessages: 3 });
    for (let i = 0; i < 7; i++) batcher.add('t', String(i), i);
    expect(batches.map((b) => b.members)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(batcher.pending).toBe(1);
  });
});

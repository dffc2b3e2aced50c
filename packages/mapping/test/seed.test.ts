// The seed's Greengrass bridge: two transforms flatten a device payload and add a timestamp.
import { describe, expect, it } from 'vitest';
import { ROOT, entryOf, run } from './fixtures/gallery.js';

describe('seed: greengrass.yaml', () => {
  it('flattens DeviceData and publishes under TestDeviceEdge/<subtopic>', async () => {
    const entry = entryOf('seed/greengrass.yaml', 'sourceTargetMapping');
    const before = Date.now();
    const { outputs, metrics } = await run(entry, [
      [`${ROOT}/test/line1/robot`, { DeviceData: { Temperature: 21.5, Position: { X: 1, Y: 2, Z: 3 } } }],
    ]);
    expect(outputs).toEqual([
      {
        topic: 'TestDeviceEdge/line1/robot',
        timestamp: expect.any(Number),
        vars: { topic: 'line1/robot' },
        payload: {
          deviceId: 'TestDeviceEdge',
          timestamp: expect.any(String),
          temperature: 21.5,
          position_x: 1,
          position_y: 2,
          position_z: 3,
        },
      },
    ]);
    const stamped = Date.parse((outputs[0]!.payload as { timestamp: string }).timestamp);
    expect(stamped).toBeGreaterThanOrEqual(before - 1);
    expect(stamped).toBeLessThanOrEqual(Date.now());
    expect(metrics).toMatchObject({ in: 1, out: 1, filtered: 0, errored: 0, shed: 0 });
    expect(metrics.lastForwardedAt).toBeGreaterThanOrEqual(before);
  });
});

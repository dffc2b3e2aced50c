import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createShadowClient, type ShadowDelta, ShadowError } from '../src/index.js';
import type { AwsIotEmulator } from '../src/emulator/index.js';
import { closeAll, transportTo } from './fixtures/transport.js';
import { startStandIn } from './fixtures/stand-in.js';

describe('createShadowClient against the AWS IoT stand-in', () => {
  let emulator: AwsIotEmulator;
  beforeAll(async () => {
    emulator = await startStandIn();
  });
  afterEach(closeAll);
  afterAll(() => emulator.close());

  it('round-trips an update: accepted with a version, then a delta for the desired change', async () => {
    const transport = transportTo(emulator, { batching: true });
    const device = createShadowClient({ transport, thingName: 'press-4' });
    const deltas: ShadowDelta[] = [];
    let sawDelta!: () => void;
    const deltaArrived = new Promise<void>((resolve) => (sawDelta = resolve));
    const sub = device.deltas.subscribe({
      next: (d) => {
        deltas.push(d);
        sawDelta();
      },
    });

    const reported = await device.update({ reported: { speed: 10, mode: 'auto' } });
    expect(reported).toMatchObject({ version: 1, state: { reported: { speed: 10, mode: 'auto' } } });

    const operator = createShadowClient({ transport, thingName: 'press-4' });
    const desired = await operator.update({ desired: { speed: 25 } });
    expect(desired.version).toBe(2);
    await deltaArrived;
    expect(deltas[0]).toMatchObject({ version: 2, state: { speed: 25 } });

    const doc = await device.get();
    expect(doc).toMatchObject({ version: 2, state: { desired: { speed: 25 }, reported: { speed: 10 }, delta: { speed: 25 } } });
    sub.unsubscribe();
    await Promise.all([device.close(), operator.close()]);
  });

  it('surfaces a version conflict as a typed error', async () => {
    const transport = transportTo(emulator);
    const shadow = createShadowClient({ transport, thingName: 'press-5', shadowName: 'config' });
    const { version } = await shadow.update({ reported: { setpoint: 1 } });
    await shadow.update({ reported: { setpoint: 2 } }, { version });
    const stale = shadow.update({ reported: { setpoint: 3 } }, { version });
    await expect(stale).rejects.toBeInstanceOf(ShadowError);
    await expect(stale).rejects.toMatchObject({ code: 'SHADOW_VERSION_CONFLICT', status: 409, retryable: false });
    await shadow.close();
  });

  it('reports a missing shadow as SHADOW_NOT_FOUND and deletes named shadows', async () => {
    const transport = transportTo(emulator);
    const shadow = createShadowClient({ transport, thingName: 'press-6', shadowName: 'maintenance' });
    await expect(shadow.get()).rejects.toMatchObject({ code: 'SHADOW_NOT_FOUND', status: 404 });
    await shadow.update({ reported: { hours: 12 } });
    await expect(shadow.delete()).resolves.toMatchObject({ version: 1 });
    await expect(shadow.get()).rejects.toMatchObject({ code: 'SHADOW_NOT_FOUND' });
    await shadow.close();
  });

  it('times out with a retryable error when nobody answers', async () => {
    const transport = transportTo(emulator);
    const shadow = createShadowClient({ transport, thingName: 'press-7', timeoutMs: 300 });
    await expect(shadow.get()).rejects.toMatchObject({ code: 'SHADOW_NOT_FOUND' });
    await emulator.stop();
    await expect(shadow.get()).rejects.toMatchObject({ code: 'SHADOW_TIMEOUT', retryable: true });
    await emulator.start();
    await shadow.close();
  });
});

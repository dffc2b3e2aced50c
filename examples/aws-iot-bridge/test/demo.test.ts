import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('shows transformed DeviceData arriving in the cloud, then exits by itself', async () => {
  const started = Date.now();
  const demo = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, '../src/main.ts'), '--duration', '3'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  demo.stdout.on('data', (chunk) => (output += chunk));
  demo.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => demo.on('exit', resolve));
  expect(output).toMatch(/cloud {2}<- TestDevice\/device-1 \{"deviceId":"TestDevice","payload":\{"DeviceData":\{"Temperature":/);
  expect(output).toMatch(/done: \d+ readings sent, \d+ arrived in the cloud/);
  expect(code).toBe(0);
  expect(Date.now() - started).toBeLessThan(45_000);
});

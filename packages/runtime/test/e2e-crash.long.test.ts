import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki, mosquittoAvailable, startMosquitto } from '@iiot/test-support';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { arrivals, collect } from './helpers.js';

const bin = join(import.meta.dirname, '../../cli/src/bin.ts');
const TOPICS = ['a', 'b/c', 'd'];

/** Starts `iiot run` as a child process; resolves once it says it is running. */
function iiotRun(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', bin, 'run', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('iiot: running')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`iiot run exited with ${code}:\n${stderr}`)));
  });
}

describe.runIf(mosquittoAvailable())('crash of the runtime', () => {
  it('loses nothing acknowledged to the local broker when killed with SIGKILL and restarted', async () => {
    const pki = createTestPki();
    const queues = ['max_queued_messages 0'];
    const local = await startMosquitto({ persistence: true, extraConfig: queues });
    const cloud = await startMosquitto({
      extraConfig: queues,
      tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, requireCertificate: true },
    });
    const dir = mkdtempSync(join(tmpdir(), 'iiot-crash-'));
    for (const [name, text] of Object.entries({ 'ca.pem': pki.ca.cert, 'client.pem': pki.client.cert, 'client.key': pki.client.key })) {
      writeFileSync(join(dir, name), text);
    }
    const args = [
      join(import.meta.dirname, 'fixtures', 'seed-bridge.yaml'),
      '--broker', local.url,
      '--data-dir', join(dir, 'data'),
      '--http-port', '0',
      '--param', 'Aws_IoT_Endpoint_Address=127.0.0.1',
      '--param', `Aws_IoT_Port=${cloud.port}`,
      '--define', `caCert=@${join(dir, 'ca.pem')}`,
      '--define', `clientCert=@${join(dir, 'client.pem')}`,
      '--define', `clientPrivateKey=@${join(dir, 'client.key')}`,
    ];
    let child = await iiotRun(args);
    try {
      const receiver = pki.issueClient({ commonName: 'receiver' });
      const arrived = await collect(cloud.url, 'TestDevice/#', { ca: pki.ca.cert, ...receiver });
      const device = await mqtt.connectAsync(local.url, { reconnectPeriod: 0 });
      const total = 6000;
      let n = 0;
      const send = async (count: number) => {
        const batch: Promise<unknown>[] = [];
        while (count-- > 0 && n < total) {
          const i = n++;
          const body = { DeviceData: { Temperature: i }, n: i };
          batch.push(device.publishAsync(`services/awsiotcoretest/test/${TOPICS[i % TOPICS.length]}`, JSON.stringify(body), { qos: 1 }));
        }
        await Promise.all(batch);
        await new Promise((resolve) => setTimeout(resolve, 10));
      };
      while (n < total / 3) await send(20);
      child.kill('SIGKILL');
      // The local broker keeps the runtime's QoS 1 messages in its persistent session while it is down.
      while (n < (total * 2) / 3) await send(20);
      child = await iiotRun(args);
      while (n < total) await send(20);

      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && arrivals(arrived.messages).firstSeen.size < TOPICS.length) await new Promise((r) => setTimeout(r, 200));
      while (Date.now() < deadline && [...arrivals(arrived.messages).firstSeen.values()].flat().length < total) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const { firstSeen, duplicates } = arrivals(arrived.messages);
      const missing = total - [...firstSeen.values()].flat().length;
      console.log(`crash: ${missing} missing, ${duplicates} duplicates`);
      expect(missing).toBe(0);
      for (const [topic, ns] of firstSeen) {
        const index = TOPICS.indexOf(topic.slice('TestDevice/'.length));
        expect(ns).toEqual(Array.from({ length: total / TOPICS.length }, (_, k) => k * TOPICS.length + index));
      }
      await Promise.all([device.endAsync(), arrived.client.endAsync()]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await Promise.all([local.close(), cloud.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

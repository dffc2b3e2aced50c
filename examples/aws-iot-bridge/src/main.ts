// The seed scenario end to end, assembled the way an integrator would: the runtime with its embedded broker,
// the seed's aws-iot-core.yaml installed unchanged (endpoint and certificates given through the API), a
// simulated device publishing DeviceData, and what arrives in the cloud printed as it comes.
//
//   pnpm demo                                   local AWS IoT stand-in with generated certificates
//   pnpm demo --endpoint <prefix>-ats.iot.<region>.amazonaws.com --cert device.pem.crt --key private.pem.key
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AMAZON_ROOT_CAS, createAwsIotTransport } from '@iiot/aws-transport';
import { createTestPki, startAwsIotEmulator } from '@iiot/aws-transport/emulator';
import { createRuntime } from '@iiot/runtime';
import mqtt from 'mqtt';

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    ca: { type: 'string' },
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '4' },
  },
});
const seconds = Number(values.duration);
const perSecond = Number(values.rate);
const SEED = join(import.meta.dirname, '..', 'aws-iot-core.yaml');
const SERVICE = 'awsiotcoretest';

// 1. The cloud: the local stand-in (a test double of AWS IoT Core) unless a real endpoint is given.
let cloud: { host: string; ca: string; cert: string; key: string };
let emulator: Awaited<ReturnType<typeof startAwsIotEmulator>> | undefined;
if (values.endpoint) {
  if (!values.cert || !values.key) throw new Error('--endpoint needs --cert and --key (the device certificate and private key files)');
  const cert = readFileSync(values.cert, 'utf8');
  const key = readFileSync(values.key, 'utf8');
  const ca = values.ca ? readFileSync(values.ca, 'utf8') : AMAZON_ROOT_CAS.join('\n');
  cloud = { host: values.endpoint, ca, cert, key };
} else {
  const pki = createTestPki({ serverNames: ['localhost', '127.0.0.1'] });
  // The seed file says port 8883, as AWS IoT does; the stand-in listens there.
  emulator = await startAwsIotEmulator({ ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, port: 8883, alpnPort: false });
  // One device certificate for the gateway and the viewer, as with a real account below (keys take time to make).
  cloud = { host: '127.0.0.1', ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key };
  console.log(`cloud: ${emulator.description} on ${emulator.host}:${emulator.port}`);
}

// 2. The gateway: runtime + embedded broker, the seed file installed unchanged and enabled.
const dataDir = mkdtempSync(join(tmpdir(), 'iiot-demo-'));
const runtime = await createRuntime({
  dataDir,
  broker: { port: 0 },
  http: { port: 0 },
  awsIotHosts: [cloud.host],
  logger: { level: 'warn' },
});
await runtime.install(SEED, {
  parameters: { Aws_IoT_Endpoint_Address: cloud.host },
  definitions: { caCert: cloud.ca, clientCert: cloud.cert, clientPrivateKey: cloud.key },
});
await runtime.enable(SERVICE);
console.log(`gateway: broker ${runtime.brokerUrl}, status ${runtime.httpUrl}/status, metrics ${runtime.httpUrl}/metrics`);

// 3. Watch the cloud: a second client (its own client id) subscribed to what the mapping publishes.
const viewer = createAwsIotTransport({ host: cloud.host, port: 8883, clientId: 'iiot-demo-viewer', ca: cloud.ca, cert: cloud.cert, key: cloud.key });
let arrived = 0;
await viewer.subscribe('TestDevice/#', (message) => {
  arrived++;
  console.log(`cloud  <- ${message.topic} ${Buffer.from(message.payload).toString('utf8')}`);
});

// 4. The device: DeviceData readings on services/<serviceId>/test/<device>, as in the seed.
const device = await mqtt.connectAsync(runtime.brokerUrl, { clientId: 'simulated-device' });
let sent = 0;
const timer = setInterval(() => {
  const name = `device-${(sent % 2) + 1}`;
  const reading = {
    DeviceData: {
      Temperature: Math.round((20 + 5 * Math.sin(sent / 5)) * 100) / 100,
      Position: { X: sent % 10, Y: Math.round(Math.cos(sent) * 100) / 100, Z: 1.5 },
    },
  };
  sent++;
  device.publish(`services/${SERVICE}/test/${name}`, JSON.stringify(reading), { qos: 1 });
  console.log(`device -> services/${SERVICE}/test/${name} ${JSON.stringify(reading)}`);
}, 1000 / perSecond);

// 5. A short run, then a clean shutdown: the buffer flushes, connections close, the process exits.
const stop = async () => {
  clearInterval(timer);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await device.endAsync();
  await viewer.close();
  await runtime.close();
  await emulator?.close();
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`done: ${sent} readings sent, ${arrived} arrived in the cloud`);
  process.exit(arrived > 0 ? 0 : 1);
};
setTimeout(stop, seconds * 1000);
process.once('SIGINT', stop);

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMosquitto } from './mosquitto-gate.js';

export interface MosquittoTlsOptions {
  ca: string;
  cert: string;
  key: string;
  /** Refuse clients without a certificate signed by `ca`. @default false */
  requireCertificate?: boolean;
}

export interface MosquittoOptions {
  tls?: MosquittoTlsOptions;
  /** A fixed port; by default a free ephemeral port of 127.0.0.1. */
  port?: number;
  /** Keep sessions and retained messages across `stop()`/`start()`. @default false */
  persistence?: boolean;
  /** Extra lines for mosquitto.conf. */
  extraConfig?: readonly string[];
  /**
   * Log every packet (`log_type all`), which tests read on failure; benchmarks turn it off, because logging each
   * message costs Mosquitto and the process collecting its output more than forwarding it. @default true
   */
  logPackets?: boolean;
}

/** A Mosquitto process started by a test. */
export interface MosquittoHandle {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Starts it again on the same port after `stop()`. */
  start(): Promise<void>;
  /** Stops it (SIGTERM) and waits for the process to end. */
  stop(): Promise<void>;
  /** Stops it and removes its files. */
  close(): Promise<void>;
  /** What Mosquitto logged so far. */
  log(): string;
}

const HOST = '127.0.0.1';

/** Starts Mosquitto on 127.0.0.1 with a generated configuration; resolves once it accepts connections. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoHandle> {
  const binary = findMosquitto();
  if (!binary) throw new Error('mosquitto is not on PATH: install it (apt-get install -y mosquitto).');
  const dir = mkdtempSync(join(tmpdir(), 'iiot-mosquitto-'));
  const port = options.port ?? (await freePort());
  const logTypes = options.logPackets === false ? ['error', 'warning', 'notice', 'information'] : ['all'];
  const lines = [`listener ${port} ${HOST}`, 'allow_anonymous true', 'log_dest stderr', ...logTypes.map((t) => `log_type ${t}`)];
  // Started as root, Mosquitto drops to its own user, which could not read the key files written here.
  if (process.getuid?.() === 0) lines.push('user root');
  if (options.persistence) lines.push('persistence true', `persistence_location ${dir}/`, 'autosave_interval 1');
  else lines.push('persistence false');
  if (options.tls) {
    writeFileSync(join(dir, 'ca.pem'), options.tls.ca);
    writeFileSync(join(dir, 'server.pem'), options.tls.cert);
    writeFileSync(join(dir, 'server.key'), options.tls.key, { mode: 0o600 });
    lines.push(
      `cafile ${join(dir, 'ca.pem')}`,
      `certfile ${join(dir, 'server.pem')}`,
      `keyfile ${join(dir, 'server.key')}`,
      `require_certificate ${options.tls.requireCertificate ? 'true' : 'false'}`,
    );
  }
  lines.push(...(options.extraConfig ?? []));
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(configFile, lines.join('\n') + '\n');

  let output = '';
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child) return;
    const proc = spawn(binary, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    await waitUntilListening(port, () => child === proc, () => output);
  };
  const stop = async () => {
    const proc = child;
    if (!proc) return;
    child = undefined;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };
  await start();
  return {
    host: HOST,
    port,
    url: `${options.tls ? 'mqtts' : 'mqtt'}://${HOST}:${port}`,
    start,
    stop,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => output,
  };
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilListening(port: number, alive: () => boolean, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`mosquitto exited before listening on ${port}:\n${log()}`);
    // Mosquitto opens its sockets before it has loaded certificates; "running" comes after both.
    if (!/mosquitto version \S+ running/.test(log())) {
      await new Promise((r) => setTimeout(r, 25));
      continue;
    }
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: HOST, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`mosquitto did not listen on ${port} within 10 s:\n${log()}`);
}

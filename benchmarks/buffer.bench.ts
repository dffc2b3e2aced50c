// pnpm bench buffer: append + read + acknowledge throughput of the disk buffer against better-sqlite3 in WAL
// mode with the same durability, and peak memory with 1,000,000 messages spooled.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BufferStore, createDiskBuffer } from '@iiot/buffer';
import type { Message } from '@iiot/core';
import { median, printTable, rssMiB } from './lib/harness.js';
import { loadBetterSqlite3 } from './lib/better-sqlite3.js';

const RUNS = 5;
const BATCH = 1_000;
const TOPIC = 'site-1/line-4/press-2/telemetry';
const root = mkdtempSync(join(tmpdir(), 'iiot-buffer-bench-'));
let dirs = 0;
const freshDir = () => join(root, `run-${dirs++}`);

/** 200-byte messages: the encoded record (timestamp, flags, topic, binary payload) is exactly 200 bytes. */
const PAYLOAD_BYTES = 200 - 11 - Buffer.byteLength(TOPIC) - 4;
const payload = new Uint8Array(PAYLOAD_BYTES).map((_, i) => i);
const message = (): Message => ({ topic: TOPIC, payload, timestamp: Date.now() });

/** Messages per second of wall-clock time, and per second of CPU time (less sensitive to a busy machine). */
interface Rate {
  wall: number;
  cpu: number;
}

function rate(total: number, start: number, cpuStart: NodeJS.CpuUsage): Rate {
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (total * 1000) / (performance.now() - start), cpu: (total * 1e6) / (cpu.user + cpu.system) };
}

/** Throughput for `total` messages: appends in batches, each batch then read and acknowledged. */
async function diskThroughput(sync: 'always' | { everyMs: number }, total: number, batch: number): Promise<Rate> {
  const dir = freshDir();
  const buffer = await createDiskBuffer({ dir, sync });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let after = 0;
  for (let sent = 0; sent < total; sent += batch) {
    let last: Promise<number | undefined> | undefined;
    for (let i = 0; i < batch; i++) last = buffer.append(message());
    await last;
    const records = await buffer.read(batch, after);
    after = records.at(-1)!.seq;
    await buffer.ack(after);
  }
  const result = rate(total, start, cpuStart);
  await buffer.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/**
 * The same work on better-sqlite3 in WAL mode with synchronous FULL. Without `commitEveryMs` each batch of
 * inserts is one commit and the read + delete another, as the disk buffer with sync 'always' syncs once per
 * batch of appends and once per acknowledgement; with it, one transaction is committed every that many ms.
 */
function sqliteThroughput(total: number, batch: number, commitEveryMs?: number): Rate {
  const file = `${freshDir()}.db`;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // AUTOINCREMENT: a queue needs numbers that never come back once every row was deleted.
  db.exec('CREATE TABLE queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload BLOB, timestamp REAL NOT NULL)');
  const insert = db.prepare('INSERT INTO queue (topic, payload, timestamp) VALUES (?, ?, ?)');
  const select = db.prepare('SELECT seq, topic, payload, timestamp FROM queue WHERE seq > ? ORDER BY seq LIMIT ?');
  const remove = db.prepare('DELETE FROM queue WHERE seq <= ?');
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const grouped = commitEveryMs !== undefined;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let lastCommit = start;
  let after = 0;
  if (grouped) begin.run();
  for (let sent = 0; sent < total; sent += batch) {
    if (!grouped) begin.run();
    for (let i = 0; i < batch; i++) {
      const m = message();
      insert.run(m.topic, m.payload, m.timestamp);
    }
    if (!grouped) {
      commit.run();
      begin.run();
    }
    const rows = select.all(after, batch) as Array<{ seq: number }>;
    after = rows.at(-1)!.seq;
    remove.run(after);
    if (!grouped) commit.run();
    else if (performance.now() - lastCommit >= commitEveryMs) {
      commit.run();
      begin.run();
      lastCommit = performance.now();
    }
  }
  if (grouped) commit.run();
  const result = rate(total, start, cpuStart);
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  return result;
}

async function medianOf(run: () => Promise<Rate> | Rate): Promise<Rate> {
  const samples: Rate[] = [];
  await run(); // warm-up
  for (let r = 0; r < RUNS; r++) samples.push(await run());
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

/** Peak resident memory while 1,000,000 messages are spooled, reopened (recovered) and drained. */
async function spoolMemory(total: number): Promise<void> {
  const dir = freshDir();
  globalThis.gc?.();
  const idle = rssMiB();
  let peak = idle;
  const sample = () => (peak = Math.max(peak, rssMiB()));
  let buffer: BufferStore = await createDiskBuffer({ dir, sync: { everyMs: 10 } });
  for (let sent = 0; sent < total; sent += BATCH) {
    let last: Promise<number | undefined> | undefined;
    for (let i = 0; i < BATCH; i++) last = buffer.append(message());
    await last;
    sample();
  }
  const spooled = buffer.stats();
  const spoolPeak = peak;
  await buffer.close();
  const reopenStart = performance.now();
  buffer = await createDiskBuffer({ dir, sync: { everyMs: 10 } });
  const reopenMs = performance.now() - reopenStart;
  sample();
  const reopenPeak = peak;
  for (let after = 0; ; ) {
    const records = await buffer.read(BATCH, after);
    if (records.length === 0) break;
    after = records.at(-1)!.seq;
    await buffer.ack(after);
    sample();
  }
  await buffer.close();
  rmSync(dir, { recursive: true, force: true });
  printTable(
    `${total.toLocaleString('en-US')} messages of 200 bytes spooled on disk (${(spooled.bytes / 2 ** 20).toFixed(0)} MiB of records)`,
    ['phase', 'peak RSS (MiB)', 'over idle process (MiB)', 'note'],
    [
      ['idle process, before', idle, 0, ''],
      ['spooling (append)', spoolPeak, spoolPeak - idle, `${spooled.messages.toLocaleString('en-US')} stored`],
      ['reopen (recovery scan)', reopenPeak, reopenPeak - idle, `${Math.round(reopenMs)} ms`],
      ['draining (read + ack)', peak, peak - idle, 'buffer empty after'],
    ],
  );
}

// First, while the process is fresh, so the idle figure is the process and not earlier runs' garbage; the
// baseline's native module is loaded only afterwards.
await spoolMemory(1_000_000);
const Database = await loadBetterSqlite3();

const rows: Array<[string, number, number, string, number, number]> = [];
async function compare(label: string, ours: () => Promise<Rate>, baseline: () => Rate): Promise<void> {
  const a = await medianOf(ours);
  const b = await medianOf(baseline);
  rows.push([label, a.wall, b.wall, `${(a.wall / b.wall).toFixed(2)}×`, a.cpu, b.cpu]);
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`load average before the throughput runs: ${load()}`);
await compare(
  'sync { everyMs: 10 } (sqlite: a commit every 10 ms)',
  () => diskThroughput({ everyMs: 10 }, 200_000, BATCH),
  () => sqliteThroughput(200_000, BATCH, 10),
);
await compare(
  "sync 'always', 1,000 appends in flight (sqlite: a commit per batch)",
  () => diskThroughput('always', 50_000, BATCH),
  () => sqliteThroughput(50_000, BATCH),
);
await compare(
  "sync 'always', one append at a time (sqlite: a commit per message)",
  () => diskThroughput('always', 300, 1),
  () => sqliteThroughput(300, 1),
);
console.log(`load average after: ${load()}`);
printTable(
  `append + read + acknowledge, 200-byte messages, batches of ${BATCH} (messages/s, median of ${RUNS})`,
  ['durability', '@iiot/buffer disk', 'better-sqlite3 WAL', 'ratio', 'disk per CPU-second', 'sqlite per CPU-second'],
  rows,
);

rmSync(root, { recursive: true, force: true });

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiskBuffer } from '../src/index.js';
import { readAll, tempDir } from './helpers.js';

interface ChildRun {
  tried: number[];
  resolved: number[];
  /** The highest id an acknowledgement resolved for, and the highest one was started for. */
  acked: number | undefined;
  acking: number | undefined;
}

/** Runs the child until a random moment, then SIGKILLs it and reports what it had logged. */
async function runAndKill(script: string, dir: string, firstId: number): Promise<ChildRun> {
  const logPath = `${dir}.log`;
  rmSync(logPath, { force: true });
  const child = spawn(process.execPath, [script, dir, String(firstId), logPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const isReady = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = once(child, 'close');
  // Mostly while appending, sometimes while the buffer is still opening (recovering).
  if (Math.random() < 0.15) await new Promise((resolve) => setTimeout(resolve, Math.random() * 80));
  else await Promise.race([isReady.then(() => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 60))), exited]);
  child.kill('SIGKILL');
  await exited;
  const run: ChildRun = { tried: [], resolved: [], acked: undefined, acking: undefined };
  const lines = existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n') : [];
  for (const line of lines) {
    const [word, id] = line.split(' ');
    if (word === 'try') run.tried.push(Number(id));
    if (word === 'ok') run.resolved.push(Number(id));
    if (word === 'ack') run.acked = Number(id);
    if (word === 'acking') run.acking = Number(id);
  }
  return run;
}

/** The crash test: a child appends with sync 'always' and is killed `kills` times; each restart is checked. */
export function crashScenario(kills: number, timeoutMs: number): void {
  describe('disk buffer killed with SIGKILL while appending', () => {
    const temp = tempDir('crash');
    let script: string;
    beforeAll(async () => {
      // One plain-JavaScript bundle, so each child starts as fast as Node can.
      script = join(temp.dir, 'crash-child.mjs');
      await build({
        entryPoints: [join(import.meta.dirname, 'fixtures/crash-child.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        conditions: ['source'],
        outfile: script,
        logLevel: 'warning',
      });
    });
    afterAll(() => temp.cleanup());

    it(`keeps every resolved append, in order, and never brings back an acknowledged one (${kills} kills)`, async () => {
      const dir = join(temp.dir, 'buffer');
      const resolved = new Set<number>();
      let ackedUpTo = -1;
      // An acknowledgement cut short by the kill may or may not have taken effect.
      let mayBeAcked = -1;
      let nextId = 0;
      let totalResolved = 0;
      for (let kill = 0; kill < kills; kill++) {
        const run = await runAndKill(script, dir, nextId);
        for (const id of run.resolved) resolved.add(id);
        totalResolved += run.resolved.length;
        if (run.acked !== undefined) ackedUpTo = Math.max(ackedUpTo, run.acked);
        if (run.acking !== undefined) mayBeAcked = Math.max(mayBeAcked, run.acking);
        nextId = Math.max(nextId, ...run.tried.map((id) => id + 1));

        const buffer = await createDiskBuffer({ dir, sync: 'always' });
        const ids = (await readAll(buffer)).map((r) => (r.message.payload as { id: number }).id);
        await buffer.close();
        const context = `after kill ${kill + 1}`;
        // In order, each once.
        expect(ids, context).toStrictEqual([...ids].sort((a, b) => a - b));
        expect(new Set(ids).size, context).toBe(ids.length);
        // Nothing acknowledged comes back; nothing appears that was never tried.
        expect(ids.filter((id) => id <= ackedUpTo), context).toStrictEqual([]);
        expect(ids.filter((id) => id >= nextId), context).toStrictEqual([]);
        // Every resolved append not acknowledged is there.
        const present = new Set(ids);
        expect([...resolved].filter((id) => id > mayBeAcked && !present.has(id)), context).toStrictEqual([]);
        // The next run's acknowledgements start from what is really present.
        for (const id of ids) resolved.add(id);
      }
      // The kills must have landed while appends were happening, or the test proves nothing.
      expect(totalResolved).toBeGreaterThan(kills);
    }, timeoutMs);
  });
}

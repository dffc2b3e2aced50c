import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@iiot/core';
import type { BufferStore } from '../src/index.js';

/** A fresh temporary directory, removed by `cleanup`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `iiot-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every unacknowledged record of a store, oldest first. */
export async function readAll(store: BufferStore): Promise<Array<{ seq: number; message: Message }>> {
  const all = [];
  for (let after = 0; ; ) {
    const batch = await store.read(500, after);
    if (batch.length === 0) return all;
    all.push(...batch);
    after = batch.at(-1)!.seq;
  }
}

/** Segment files of a buffer directory, oldest first. */
export function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.seg'))
    .sort()
    .map((name) => join(dir, name));
}

/** Byte offsets of the records in a segment file (its 8-byte header skipped), read from the length fields. */
export function recordOffsets(file: string): number[] {
  const bytes = readFileSync(file);
  const offsets = [];
  for (let at = 8; at + 16 <= bytes.length; at += 16 + bytes.readUInt32LE(at)) offsets.push(at);
  return offsets;
}

/** Mounts a tmpfs of `size` (e.g. '64k') with `options` at a new directory; needs root. */
export function mountTmpfs(size: string, options = 'rw'): { dir: string; unmount: () => void } {
  const { dir, cleanup } = tempDir('tmpfs');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},${options}`, 'tmpfs', dir]);
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir]);
      cleanup();
    },
  };
}

/** Whether this process may mount a tmpfs (root in a system that allows it). */
export function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    mountTmpfs('16k').unmount();
    return true;
  } catch {
    return false;
  }
}

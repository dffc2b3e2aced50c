import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BufferStore, createDiskBuffer } from '../src/index.js';
import { canMountTmpfs, mountTmpfs, readAll, tempDir } from './helpers.js';

const message = (n: number, size = 1000) => ({ topic: 't', payload: new Uint8Array(size).fill(n), timestamp: n });

describe('disk buffer directory lock', () => {
  const temp = tempDir('disk-lock');
  const children: ChildProcess[] = [];
  const stores: BufferStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    for (const child of children.splice(0)) child.kill('SIGKILL');
    temp.cleanup();
  });
  const open = async () => {
    const store = await createDiskBuffer({ dir: temp.dir });
    stores.push(store);
    return store;
  };

  it('refuses a second buffer on the same directory in this process until the first is closed', async () => {
    const first = await open();
    await expect(createDiskBuffer({ dir: temp.dir })).rejects.toMatchObject({
      code: 'BUFFER_LOCKED',
      details: { pid: process.pid },
    });
    await first.close();
    await expect(open()).resolves.toBeDefined();
  });

  it('refuses a directory whose lock belongs to another running process, and names it', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    children.push(other);
    await once(other, 'spawn');
    await open().then((store) => store.close());
    writeFileSync(join(temp.dir, 'LOCK'), `${other.pid} ${hostname()}\n`);
    const error = await createDiskBuffer({ dir: temp.dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BUFFER_LOCKED', retryable: false, details: { pid: other.pid } });
    expect((error as Error).message).toContain(`process ${other.pid}`);
  });

  it('takes over a stale lock left by a process that has died', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    await open().then((store) => store.close());
    writeFileSync(join(temp.dir, 'LOCK'), `${dead.pid} ${hostname()}\n`);
    await open();
    expect(readFileSync(join(temp.dir, 'LOCK'), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
  });

  it('treats a lock from another host as held, since that process cannot be checked', async () => {
    await open().then((store) => store.close());
    writeFileSync(join(temp.dir, 'LOCK'), `4242 some-other-gateway\n`);
    await expect(createDiskBuffer({ dir: temp.dir })).rejects.toMatchObject({ code: 'BUFFER_LOCKED' });
  });
});

describe('disk buffer file-system errors', () => {
  it('says when dir is not a directory', async () => {
    const temp = tempDir('disk-notdir');
    const file = join(temp.dir, 'file');
    writeFileSync(file, '');
    await expect(createDiskBuffer({ dir: join(file, 'buffer') })).rejects.toMatchObject({ code: 'BUFFER_DIR_INVALID' });
    await expect(createDiskBuffer({ dir: file })).rejects.toMatchObject({ code: 'BUFFER_DIR_INVALID' });
    temp.cleanup();
  });

  describe.runIf(canMountTmpfs())('on small file systems (tmpfs, needs root)', () => {
    it('says when a missing directory cannot be created for lack of permission', async () => {
      const readOnly = mountTmpfs('64k', 'ro');
      try {
        const error = await createDiskBuffer({ dir: join(readOnly.dir, 'spool') }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'BUFFER_DIR_ACCESS_DENIED', retryable: false });
        expect((error as Error).message).toContain(join(readOnly.dir, 'spool'));
      } finally {
        readOnly.unmount();
      }
    });

    it('rejects appends with a retryable BUFFER_DISK_FULL when the disk is full, and recovers once space is freed', async () => {
      const small = mountTmpfs('64k');
      const store = await createDiskBuffer({ dir: small.dir, sync: 'always', segmentBytes: 8192 });
      try {
        let stored = 0;
        let failure: unknown;
        for (let n = 0; n < 200 && failure === undefined; n++) {
          await store.append(message(n)).then(() => stored++, (error) => (failure = error));
        }
        expect(failure).toMatchObject({ code: 'BUFFER_DISK_FULL', retryable: true });
        expect(store.stats().messages).toBe(stored);
        expect(store.stats().lastSeq).toBe(stored);
        // Delivering the backlog deletes segments, which makes room again.
        await store.ack(stored - 5);
        await expect(store.append(message(255))).resolves.toBe(stored + 1);
        await store.close();
        const reopened = await createDiskBuffer({ dir: small.dir });
        const left = await readAll(reopened);
        expect(left.map((r) => r.seq)).toStrictEqual([1, 2, 3, 4, 5, 6].map((i) => stored - 5 + i));
        expect(reopened.stats().corrupted).toBe(0);
        await reopened.close();
      } finally {
        await store.close();
        small.unmount();
      }
    });
  });
});

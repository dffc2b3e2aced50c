import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { BufferError } from '../errors.js';

const heldHere = new Set<string>();

/**
 * Creates `dir` and its missing parents. Unlike `mkdirSync(dir, { recursive: true })`, which reports ENOENT
 * for a read-only parent, this surfaces the real reason (EACCES, EROFS, ENOTDIR, EEXIST for a file).
 */
export function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
    makeDirectory(dirname(dir));
    mkdirSync(dir);
  }
}

/**
 * Takes the directory lock: a LOCK file holding `pid host`, created atomically by hard-linking a file that
 * already has the content. A lock left by a process that no longer runs on this host is stale and taken over.
 * Returns the release function.
 */
export function lockDirectory(dir: string): () => void {
  const path = join(dir, 'LOCK');
  if (heldHere.has(path)) throw lockedError(dir, process.pid, hostname());
  const temp = join(dir, `LOCK.${process.pid}.tmp`);
  writeFileSync(temp, `${process.pid} ${hostname()}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 2) throw error;
      }
      const owner = readOwner(path);
      if (owner && (owner.host !== hostname() || (owner.pid !== process.pid && isRunning(owner.pid)))) {
        throw lockedError(dir, owner.pid, owner.host);
      }
      removeIfPresent(path);
    }
  } finally {
    removeIfPresent(temp);
  }
  heldHere.add(path);
  return () => {
    heldHere.delete(path);
    if (readOwner(path)?.pid === process.pid) removeIfPresent(path);
  };
}

function readOwner(path: string): { pid: number; host: string } | undefined {
  try {
    const [pid, host] = readFileSync(path, 'utf8').trim().split(' ');
    return Number(pid) > 0 && host ? { pid: Number(pid), host } : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function lockedError(dir: string, pid: number, host: string): BufferError {
  return new BufferError(
    'BUFFER_LOCKED',
    `Buffer directory ${dir} is in use by process ${pid} on ${host}: two processes must not share one buffer. Stop that process or give this one its own dir (delete ${join(dir, 'LOCK')} only if that process is gone).`,
    { details: { dir, pid, host } },
  );
}

import { fdatasync, fsync } from 'node:fs';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: file descriptors written since the last sync are flushed to the device together, and every
 * caller waiting at that moment is answered by the one round. Callers arriving during a round wait for the
 * next, so a resolved `wait()` always covers the writes made before it was called.
 */
export class GroupSync {
  private dirty = new Set<number>();
  private waiters: Waiter[] = [];
  private running = false;
  private readonly idle: Array<() => void> = [];

  /** `directoryFd` is synced with `fsync` (directories reject `fdatasync` on some systems). */
  constructor(
    private readonly directoryFd: number,
    private readonly onBackgroundError: (error: unknown) => void,
  ) {}

  /** Notes that `fd` was written to. */
  mark(fd: number): void {
    this.dirty.add(fd);
  }

  /** Forgets `fd` (its file was deleted) and runs `close` once no sync round can still be using it. */
  retire(fd: number, close: () => void): void {
    this.dirty.delete(fd);
    if (this.running) this.idle.push(close);
    else close();
  }

  /** Resolves once everything written before the call is on the device. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      void this.run();
    });
  }

  /** Starts a round if one is needed; errors go to the waiters, or to `onBackgroundError` when none wait. */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.dirty.size > 0 || this.waiters.length > 0) {
        const fds = [...this.dirty];
        const waiters = this.waiters;
        this.dirty = new Set();
        this.waiters = [];
        try {
          await Promise.all(fds.map((fd) => syncFd(fd, fd === this.directoryFd)));
          for (const waiter of waiters) waiter.resolve();
        } catch (error) {
          if (waiters.length === 0) this.onBackgroundError(error);
          for (const waiter of waiters) waiter.reject(error);
        }
      }
    } finally {
      this.running = false;
      for (const close of this.idle.splice(0)) close();
    }
  }
}

function syncFd(fd: number, full: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    (full ? fsync : fdatasync)(fd, (error) => (error ? reject(error) : resolve()));
  });
}

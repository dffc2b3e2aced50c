/** Time and timers the graph uses; tests pass a fake one (or use fake timers). */
export interface TwinClock {
  now(): number;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const unref = (handle: unknown) => {
  (handle as { unref?: () => void }).unref?.();
  return handle;
};

/** The real clock; its timers do not keep the process alive. Reads the globals on each call so fake timers apply. */
export const systemClock: TwinClock = {
  now: () => Date.now(),
  setInterval: (callback, ms) => unref(setInterval(callback, ms)),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  setTimeout: (callback, ms) => unref(setTimeout(callback, ms)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

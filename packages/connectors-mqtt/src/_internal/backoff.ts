/** A resolved connection strategy: every field set. */
export interface BackoffSettings {
  initialDelay: number;
  maxDelay: number;
  incrementFactor: number;
}

/**
 * Exponential backoff with full jitter: the n-th delay is uniform in [0, min(maxDelay, initialDelay·factorⁿ)),
 * so many gateways that lost the same broker do not all come back in the same instant.
 */
export class Backoff {
  #attempt = 0;

  constructor(
    private readonly settings: BackoffSettings,
    private readonly random: () => number,
  ) {}

  /** Failed attempts since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The upper bound of the next delay. */
  get ceiling(): number {
    const { initialDelay, maxDelay, incrementFactor } = this.settings;
    return Math.min(maxDelay, initialDelay * incrementFactor ** this.#attempt);
  }

  /** The delay before the next attempt, in whole milliseconds; counts the attempt. */
  next(): number {
    const delay = Math.floor(this.random() * this.ceiling);
    this.#attempt++;
    return delay;
  }

  /** Starts again from `initialDelay`, after a connection that stayed up long enough. */
  reset(): void {
    this.#attempt = 0;
  }
}

import type { SchedulerLike } from 'rxjs';

/** Paces sends to `rate` per second with bursts of up to a tenth of a second's worth (at least one). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;

  constructor(
    private readonly rate: number,
    private readonly scheduler: SchedulerLike,
  ) {
    this.burst = Math.max(1, rate / 10);
    this.tokens = this.burst;
    this.last = scheduler.now();
  }

  /** How many of `wanted` may go now (call `spend` with what was really sent). */
  available(wanted: number): number {
    if (this.rate === Number.POSITIVE_INFINITY) return wanted;
    const now = this.scheduler.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    return Math.min(wanted, Math.floor(this.tokens));
  }

  spend(count: number): void {
    if (this.rate !== Number.POSITIVE_INFINITY) this.tokens -= count;
  }

  /** Milliseconds until the next token. */
  waitMs(): number {
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.rate));
  }
}

import type { TwinClock } from '../clock.js';
import { RANKS } from '../quality.js';
import type { Model } from './model.js';
import { CONNECTED, type GraphState, LOST_BAD, LOST_UNCERTAIN } from './state.js';

export interface LivenessOptions {
  clock: TwinClock;
  staleCheckInterval: number;
  connectionLossGrace: number;
  /** Marks a source for recomputation. */
  touch: (node: number) => void;
  /** Recomputes what was touched and tells subscribers. */
  flush: () => void;
}

/** Connection state and maximum age: the timers that turn silent or disconnected sources Uncertain and Bad. */
export class Liveness {
  readonly #lossTimers = new Map<number, unknown>();
  readonly #staleTimer: unknown;

  constructor(
    private readonly model: Model,
    private readonly state: GraphState,
    private readonly options: LivenessOptions,
  ) {
    const aging = [...model.source.keys()].filter((n) => model.source[n]?.maxAge !== undefined);
    if (aging.length) this.#staleTimer = options.clock.setInterval(() => this.#checkStale(aging), options.staleCheckInterval);
  }

  /** Applies a connection's loss or return to every source and setpoint bound to it. */
  setConnection(c: number, connected: boolean): void {
    const { state, options } = this;
    if ((state.connectionPhase[c] === CONNECTED) === connected) return;
    options.clock.clearTimeout(this.#lossTimers.get(c));
    this.#lossTimers.delete(c);
    const members = this.model.connectionMembers[c]!;
    if (connected) {
      state.connectionPhase[c] = CONNECTED;
      const waiting = RANKS.of('Bad_WaitingForInitialData');
      for (const n of members) if (state.sourceRank[n] !== waiting) state.awaitingRefresh[n] = 1;
    } else {
      state.connectionPhase[c] = LOST_UNCERTAIN;
      const timer = options.clock.setTimeout(() => {
        this.#lossTimers.delete(c);
        state.connectionPhase[c] = LOST_BAD;
        for (const n of members) options.touch(n);
        options.flush();
      }, options.connectionLossGrace);
      this.#lossTimers.set(c, timer);
    }
    for (const n of members) options.touch(n);
    options.flush();
  }

  close(): void {
    if (this.#staleTimer !== undefined) this.options.clock.clearInterval(this.#staleTimer);
    for (const timer of this.#lossTimers.values()) this.options.clock.clearTimeout(timer);
    this.#lossTimers.clear();
  }

  #checkStale(aging: readonly number[]): void {
    const { state, options } = this;
    const now = options.clock.now();
    let touched = false;
    for (const n of aging) {
      if (!state.stale[n] && now - state.received[n]! > this.model.source[n]!.maxAge!) {
        state.stale[n] = 1;
        options.touch(n);
        touched = true;
      }
    }
    if (touched) options.flush();
  }
}

import type { Quality } from '../quality.js';
import { RANKS } from '../quality.js';
import { type Model, SETPOINT, SOURCE } from './model.js';

/** Why a property is not Good: the source or property where it started, and since when. */
export interface Cause {
  readonly path: string;
  readonly quality: Quality;
  /** Milliseconds since the epoch at which this quality began. */
  readonly since: number;
  /** The connection whose loss caused it, if any. */
  readonly connection?: string;
}

export const NO_CAUSES: readonly Cause[] = Object.freeze([]);

/** Connection phases: connected, lost (values still usable), lost long enough to be Bad. */
export const CONNECTED = 0;
export const LOST_UNCERTAIN = 1;
export const LOST_BAD = 2;

/** The live values and qualities of every node, in arrays indexed by node id. */
export class GraphState {
  readonly rank: Uint8Array;
  readonly value: unknown[];
  /** The last value received or computed, kept while the exposed value is null. */
  readonly raw: unknown[];
  readonly time: Float64Array;
  readonly since: Float64Array;
  readonly lastGood: unknown[];
  readonly lastGoodTime: Float64Array;
  readonly causes: (readonly Cause[])[];
  /** Sources and setpoints: the quality the source itself reported. */
  readonly sourceRank: Uint8Array;
  /** Sources: clock time of the last value, for maxAge. */
  readonly received: Float64Array;
  readonly stale: Uint8Array;
  /** Sources whose connection came back and that have not had a fresh value since. */
  readonly awaitingRefresh: Uint8Array;
  readonly connectionPhase: Uint8Array;

  constructor(model: Model, now: number) {
    const n = model.size;
    this.rank = new Uint8Array(n);
    this.value = new Array(n).fill(null);
    this.raw = new Array(n).fill(null);
    this.time = new Float64Array(n).fill(now);
    this.since = new Float64Array(n).fill(now);
    this.lastGood = new Array(n).fill(null);
    this.lastGoodTime = new Float64Array(n).fill(Number.NaN);
    this.causes = new Array(n).fill(NO_CAUSES);
    this.sourceRank = new Uint8Array(n);
    this.received = new Float64Array(n).fill(now);
    this.stale = new Uint8Array(n);
    this.awaitingRefresh = new Uint8Array(n);
    this.connectionPhase = new Uint8Array(model.connections.length);
    const waiting = RANKS.of('Bad_WaitingForInitialData');
    for (let i = 0; i < n; i++) {
      if (model.kind[i] === SOURCE || model.kind[i] === SETPOINT) this.sourceRank[i] = waiting;
    }
  }
}

const LAST_USABLE = RANKS.of('Uncertain_LastUsableValue');
const NO_COMMUNICATION = RANKS.of('Uncertain_NoCommunicationLastUsableValue');
const NOT_CONNECTED = RANKS.of('Bad_NotConnected');
const STALE = RANKS.of('Bad_Stale');

/** The effective quality of a source or setpoint: the worst of what it reported, its connection and its age. */
export function sourceQualityRank(model: Model, state: GraphState, node: number): number {
  let rank = state.sourceRank[node]!;
  const c = model.connectionOf[node]!;
  const phase = c < 0 ? CONNECTED : state.connectionPhase[c]!;
  if (phase === LOST_UNCERTAIN && rank < NO_COMMUNICATION) rank = NO_COMMUNICATION;
  if (phase === LOST_BAD && rank < NOT_CONNECTED) rank = NOT_CONNECTED;
  if (state.awaitingRefresh[node] && rank < LAST_USABLE) rank = LAST_USABLE;
  if (state.stale[node] && rank < STALE) rank = STALE;
  return rank;
}

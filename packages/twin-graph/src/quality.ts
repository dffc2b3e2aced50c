/**
 * OPC UA style quality codes, ordered Good < Uncertain < Bad. Within a severity the later code is the
 * worse one, so that combining qualities is a total order (commutative, associative, monotone).
 * `Bad_Stale` and `Bad_CalculationError` are ours; the others are OPC UA Part 4 / Part 13 names.
 */
export const QUALITY_CODES = [
  'Good',
  'Good_LocalOverride',
  'Uncertain',
  'Uncertain_InitialValue',
  'Uncertain_SensorNotAccurate',
  'Uncertain_DataSubNormal',
  'Uncertain_LastUsableValue',
  'Uncertain_NoCommunicationLastUsableValue',
  'Bad',
  'Bad_WaitingForInitialData',
  'Bad_OutOfService',
  'Bad_NoData',
  'Bad_CalculationError',
  'Bad_ConfigurationError',
  'Bad_SensorFailure',
  'Bad_DeviceFailure',
  'Bad_Stale',
  'Bad_NoCommunication',
  'Bad_NotConnected',
] as const;

/** A quality code such as `Good`, `Uncertain_LastUsableValue` or `Bad_NotConnected`. */
export type Quality = (typeof QUALITY_CODES)[number];

/** The three levels of the quality lattice. */
export type QualitySeverity = 'Good' | 'Uncertain' | 'Bad';

const RANK = new Map<string, number>(QUALITY_CODES.map((q, i) => [q, i]));
const FIRST_UNCERTAIN = RANK.get('Uncertain')!;
const FIRST_BAD = RANK.get('Bad')!;

/** True when `value` is one of the quality codes. */
export function isQuality(value: unknown): value is Quality {
  return typeof value === 'string' && RANK.has(value);
}

/** The position of a quality in the total order; a higher rank is worse. */
function qualityRank(quality: Quality): number {
  return RANK.get(quality)!;
}

/** The quality at a rank (the inverse of `qualityRank`). */
export function qualityAt(rank: number): Quality {
  return QUALITY_CODES[rank]!;
}

/** Good, Uncertain or Bad. */
export function qualitySeverity(quality: Quality): QualitySeverity {
  return severityOfRank(qualityRank(quality));
}

/** The severity of a rank. */
function severityOfRank(rank: number): QualitySeverity {
  return rank >= FIRST_BAD ? 'Bad' : rank >= FIRST_UNCERTAIN ? 'Uncertain' : 'Good';
}

/** Negative, zero or positive as `a` is better than, equal to or worse than `b`. */
export function compareQuality(a: Quality, b: Quality): number {
  return qualityRank(a) - qualityRank(b);
}

/** The worse of the given qualities (`Good` for none): what a derived value takes from its inputs. */
export function worstQuality(...qualities: Quality[]): Quality {
  let rank = 0;
  for (const q of qualities) rank = Math.max(rank, qualityRank(q));
  return qualityAt(rank);
}

/** Thresholds of an aggregate, as OPC UA Part 13's PercentDataGood / PercentDataBad. */
export interface AggregateThresholds {
  /** The aggregate is Good when at least this percent of its inputs are Good. @default 100 */
  percentGood?: number;
  /** Otherwise it is Bad when at least this percent of its inputs are Bad, else Uncertain_DataSubNormal. @default 100 */
  percentBad?: number;
}

/** The quality of an aggregate over inputs of the given quality ranks; `Bad_NoData` when there are none. */
export function aggregateRank(ranks: ArrayLike<number>, thresholds: Required<AggregateThresholds>): number {
  const n = ranks.length;
  if (n === 0) return RANK.get('Bad_NoData')!;
  let good = 0;
  let bad = 0;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const r = ranks[i]!;
    if (r < FIRST_UNCERTAIN) good++;
    else if (r >= FIRST_BAD) bad++;
    if (r > worst) worst = r;
  }
  // Good sub-codes are not carried: that keeps the result monotone when a Good input turns Bad.
  if (good * 100 >= thresholds.percentGood * n) return 0;
  if (bad * 100 >= thresholds.percentBad * n) return worst;
  return RANK.get('Uncertain_DataSubNormal')!;
}

/** The quality of an aggregate over inputs of the given qualities (see `AggregateThresholds`). */
export function aggregateQuality(qualities: readonly Quality[], thresholds: AggregateThresholds = {}): Quality {
  return qualityAt(
    aggregateRank(qualities.map(qualityRank), { percentGood: thresholds.percentGood ?? 100, percentBad: thresholds.percentBad ?? 100 }),
  );
}

/** @internal ranks used by the engine */
export const RANKS = {
  good: 0,
  firstUncertain: FIRST_UNCERTAIN,
  firstBad: FIRST_BAD,
  of: (q: Quality) => RANK.get(q)!,
};

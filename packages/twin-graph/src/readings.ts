import type { Cause } from './_internal/state.js';
import type { Quality } from './quality.js';

export type { Cause } from './_internal/state.js';

/** The kinds of property. */
export type PropertyKind = 'source' | 'derived' | 'aggregate' | 'setpoint';

/** A property's current value and quality, as the caller may see it. */
export interface PropertyReading {
  path: string;
  kind: PropertyKind;
  /** `null` when the quality is Bad (see `lastGood`); the last usable value while Uncertain. */
  value: unknown;
  quality: Quality;
  /** Source time of the value (derived values: the newest input). */
  timestamp: number;
  /** When the current quality began. */
  since: number;
  /** The last value that was Good, while the quality is not. */
  lastGood?: { value: unknown; timestamp: number };
  /** Root causes of a quality other than Good (at most `maxCauses`), only those the caller may read. */
  causes: Cause[];
  /** Root causes the caller may not read: counted, not shown. */
  hiddenCauses: number;
}

/** A twin with the properties and child twins the caller may read. */
export interface TwinReading {
  path: string;
  properties: Record<string, PropertyReading>;
  twins: Record<string, TwinReading>;
  /** Paths of the twins it uses, that the caller may read. */
  uses: string[];
}

/** The answer of `impact`. */
export interface ImpactResult {
  mode: 'reachability' | 'what-if';
  /** Affected properties the caller may read, in the order they were reached. */
  properties: string[];
  /** What-if mode: the quality each of `properties` would take; empty in reachability mode. */
  qualities: Quality[];
  /** Twins owning an affected property, and twins using an affected twin, each once. */
  twins: string[];
  /** Affected properties and twins the caller may not read: counted, not shown. */
  hidden: { properties: number; twins: number };
}

/** The answer of `explain`: every root cause of a property's quality, down the dependency graph. */
export interface Explanation {
  path: string;
  quality: Quality;
  since: number;
  causes: Cause[];
  hiddenCauses: number;
}

/** What a setpoint write did. */
export interface WriteResult {
  /** The setpoints that took the value (the one written and every fan-out target). */
  setpoints: string[];
  /** The topics written to. */
  topics: string[];
}

import { createSubscribable, type Message, type MessageSink, parseTopicFilter, type Subscribable } from '@iiot/core';
import { type Caller, identify, PERMISSION_BITS } from './access.js';
import { compile } from './_internal/compile.js';
import { Propagator } from './_internal/engine.js';
import { ImpactAnalyzer } from './_internal/impact.js';
import { type Model, TWIN } from './_internal/model.js';
import { takeMessages } from './_internal/payload.js';
import { AccessDecider, READ } from './_internal/policy.js';
import { readProperty, readTwin, rootCauses } from './_internal/read.js';
import { sourcesOnTopic } from './_internal/roots.js';
import { Liveness } from './_internal/liveness.js';
import { GraphState } from './_internal/state.js';
import { writeSetpoint } from './_internal/write.js';
import { systemClock, type TwinClock } from './clock.js';
import type { Permission, TwinGraphDefinition } from './definition.js';
import { TwinAccessError } from './errors.js';
import { createSyncJsonataEngine, type ExpressionEngine } from './expression.js';
import { type Quality, qualityAt, RANKS } from './quality.js';
import type { Explanation, ImpactResult, PropertyReading, TwinReading, WriteResult } from './readings.js';

/** Options of `createTwinGraph`. */
export interface TwinGraphOptions {
  definition: TwinGraphDefinition;
  /** Evaluates derived values and source value pickers. @default createSyncJsonataEngine() */
  engine?: ExpressionEngine;
  /** Topic and connection of each `Cybus::Endpoint` a source may name. @default {} */
  endpoints?: Readonly<Record<string, { topic: string; connection?: string }>>;
  /** Where setpoint writes are published. @default none: writing a setpoint with a topic fails */
  sink?: MessageSink;
  /** @default the system clock */
  clock?: TwinClock;
  /** How often sources are checked against their `maxAge`, in ms. @default 1000 */
  staleCheckInterval?: number;
  /** How long a lost connection leaves its values Uncertain before they turn Bad_NotConnected, in ms. @default 5000 */
  connectionLossGrace?: number;
  /** Root causes carried by each property (explain() finds them all). @default 8 */
  maxCauses?: number;
  /** Memoise access decisions per set of subjects. @default true */
  memoiseAccess?: boolean;
}

/** Access options of reads and queries; without `as` the call is trusted code and sees everything. */
export interface AccessOptions {
  as?: Caller;
}

/** A property or connection whose failure `impact` analyses; a string is a property path. */
export type ImpactRoot = string | { property: string } | { connection: string } | { topic: string };

/** Options of `impact`. */
export interface ImpactOptions extends AccessOptions {
  /** `reachability`: everything downstream. `what-if`: only what would change quality. @default 'reachability' */
  mode?: 'reachability' | 'what-if';
  /** The quality the roots take in what-if mode. @default 'Bad_NotConnected' */
  quality?: Quality;
}

/** Loads a twin graph definition (all problems reported at once) and returns the live graph. */
export function createTwinGraph(options: TwinGraphOptions): TwinGraph {
  return new TwinGraph(options);
}

/** A loaded twin graph: values, qualities, impact analysis and access control over one definition. */
export class TwinGraph {
  readonly #model: Model;
  readonly #state: GraphState;
  readonly #propagator: Propagator;
  readonly #impact: ImpactAnalyzer;
  readonly #access: AccessDecider;
  readonly #clock: TwinClock;
  readonly #sink: MessageSink | undefined;
  readonly #subscribers = new Set<{ root: number; readable: (n: number) => boolean; next: (r: PropertyReading) => void }>();
  readonly #liveness: Liveness;

  constructor(options: TwinGraphOptions) {
    this.#sink = options.sink;
    this.#clock = options.clock ?? systemClock;
    const model = compile(options.definition, { engine: options.engine ?? createSyncJsonataEngine(), endpoints: options.endpoints ?? {} });
    this.#model = model;
    this.#state = new GraphState(model, this.#clock.now());
    this.#propagator = new Propagator(model, this.#state, () => this.#clock.now(), options.maxCauses ?? 8);
    this.#impact = new ImpactAnalyzer(model, this.#state);
    this.#access = new AccessDecider(model.policy, model.parent, options.memoiseAccess ?? true);
    for (let n = 0; n < model.size; n++) if (model.kind[n] !== TWIN) this.#propagator.touch(n);
    this.#propagator.run();
    this.#liveness = new Liveness(model, this.#state, {
      clock: this.#clock,
      staleCheckInterval: options.staleCheckInterval ?? 1000,
      connectionLossGrace: options.connectionLossGrace ?? 5000,
      touch: (n) => this.#propagator.touch(n),
      flush: () => this.#flush(),
    });
  }

  /** How many twins and properties the graph holds. */
  get size(): number {
    return this.#model.size;
  }

  /** Whether `caller` holds `permission` on `path` (false for a path that does not exist). */
  can(caller: Caller, path: string, permission: Permission): boolean {
    const node = this.#model.byPath.get(path);
    if (node === undefined) return false;
    const { subjects, key } = identify(caller);
    return (this.#access.allowed(subjects, key, node) & PERMISSION_BITS[permission]) !== 0;
  }

  /** A property's reading, or a twin with everything below it that the caller may read. */
  read(path: string, options: AccessOptions = {}): PropertyReading | TwinReading {
    const readable = this.#readable(options.as);
    const node = this.#find(path, readable, options.as !== undefined);
    if (this.#model.kind[node] !== TWIN) return readProperty(this.#model, this.#state, node, readable);
    const twin = readTwin(this.#model, this.#state, node, readable);
    if (!twin) throw notFound(path);
    return twin;
  }

  /** Every change of a property at or below `path` that the caller may read, as it happens. */
  subscribe(path: string, options: AccessOptions = {}): Subscribable<PropertyReading> {
    const readable = this.#readable(options.as);
    const root = this.#find(path, readable, options.as !== undefined);
    return createSubscribable((observer) => {
      const entry = { root, readable, next: (r: PropertyReading) => observer.next(r) };
      this.#subscribers.add(entry);
      return () => this.#subscribers.delete(entry);
    });
  }

  /** Every root cause of a property's quality, following its inputs down to the sources. */
  explain(path: string, options: AccessOptions = {}): Explanation {
    const readable = this.#readable(options.as);
    const node = this.#find(path, readable, options.as !== undefined);
    if (this.#model.kind[node] === TWIN) throw new TwinAccessError('TWIN_NOT_FOUND', `"${path}" is a twin; explain one of its properties.`);
    const all = rootCauses(this.#model, this.#state, node);
    const causes = all.filter((c) => readable(this.#model.byPath.get(c.path)!));
    const s = this.#state;
    return { path, quality: qualityAt(s.rank[node]!), since: s.since[node]!, causes, hiddenCauses: all.length - causes.length };
  }

  /** Every property and twin affected by the failure of the roots (see `ImpactOptions`). */
  impact(roots: readonly ImpactRoot[], options: ImpactOptions = {}): ImpactResult {
    const model = this.#model;
    const readable = this.#readable(options.as);
    const nodes: number[] = [];
    for (const root of roots) {
      if (typeof root === 'string' || 'property' in root) {
        const path = typeof root === 'string' ? root : root.property;
        const node = this.#find(path, readable, options.as !== undefined);
        if (model.kind[node] === TWIN) throw new TwinAccessError('TWIN_NOT_FOUND', `Impact root "${path}" is a twin; name one of its properties, a connection or a topic.`);
        nodes.push(node);
      } else if ('connection' in root) {
        const c = model.connections.indexOf(root.connection);
        if (c >= 0) for (const n of model.connectionMembers[c]!) nodes.push(n);
      } else for (const n of sourcesOnTopic(model, parseTopicFilter(root.topic))) nodes.push(n);
    }
    const whatIf = options.mode === 'what-if';
    const raw = whatIf ? this.#impact.whatIf(nodes, RANKS.of(options.quality ?? 'Bad_NotConnected')) : this.#impact.reach(nodes);
    const result: ImpactResult = { mode: whatIf ? 'what-if' : 'reachability', properties: [], qualities: [], twins: [], hidden: { properties: 0, twins: 0 } };
    raw.properties.forEach((n, i) => {
      if (!readable(n)) result.hidden.properties++;
      else {
        result.properties.push(model.paths[n]!);
        if (whatIf) result.qualities.push(qualityAt(raw.ranks[i]!));
      }
    });
    for (const t of raw.twins) {
      if (readable(t)) result.twins.push(model.paths[t]!);
      else result.hidden.twins++;
    }
    return result;
  }

  /** Feeds values from a mapping pipeline; returns how many properties took a new sample. */
  ingest(messages: Message | readonly Message[]): number {
    const taken = takeMessages(this.#model, this.#state, Array.isArray(messages) ? messages : [messages as Message], this.#clock.now(), (n) =>
      this.#propagator.touch(n, true),
    );
    if (taken) this.#flush();
    return taken;
  }

  /**
   * Reports a connection's state. On loss its variables and setpoints turn Uncertain_NoCommunicationLastUsableValue,
   * then Bad_NotConnected after `connectionLossGrace`; on return Uncertain_LastUsableValue until a fresh value.
   */
  setConnectionState(connection: string, connected: boolean): void {
    const c = this.#model.connections.indexOf(connection);
    if (c >= 0) this.#liveness.setConnection(c, connected);
  }

  /** Writes a setpoint: WRITE is needed on it and on every setpoint it fans out to; publishes to their topics. */
  async write(path: string, value: unknown, options: AccessOptions = {}): Promise<WriteResult> {
    const readable = this.#readable(options.as);
    const node = this.#find(path, readable, false);
    const writable = (n: number) => {
      if (options.as === undefined) return true;
      const { subjects, key } = identify(options.as);
      return (this.#access.allowed(subjects, key, n) & PERMISSION_BITS.WRITE) !== 0;
    };
    const result = await writeSetpoint(this.#model, this.#state, {
      node,
      value,
      now: this.#clock.now(),
      writable,
      readable,
      sink: this.#sink,
      touch: (n) => this.#propagator.touch(n, true),
    });
    this.#flush();
    return result;
  }

  /** Stops the timers of quality aging and connection loss, and ends subscriptions. */
  close(): void {
    this.#liveness.close();
    this.#subscribers.clear();
  }

  #flush(): void {
    const changed = this.#propagator.run();
    if (this.#subscribers.size === 0) return;
    const model = this.#model;
    for (const sub of [...this.#subscribers]) {
      for (const n of changed) {
        let at = n;
        while (at >= 0 && at !== sub.root) at = model.parent[at]!;
        if (at === sub.root && sub.readable(n)) sub.next(readProperty(model, this.#state, n, sub.readable));
      }
    }
  }

  #readable(caller: Caller | undefined): (node: number) => boolean {
    if (caller === undefined) return () => true;
    const { subjects, key } = identify(caller);
    return (node) => (this.#access.allowed(subjects, key, node) & READ) !== 0;
  }

  /** The node of a path; with `mustRead`, a node the caller may not read looks the same as a missing one. */
  #find(path: string, readable: (n: number) => boolean, mustRead: boolean): number {
    const node = this.#model.byPath.get(path.replace(/^\/+|\/+$/g, ''));
    if (node === undefined || (mustRead && this.#model.kind[node] !== TWIN && !readable(node))) throw notFound(path);
    return node;
  }
}

function notFound(path: string): TwinAccessError {
  return new TwinAccessError('TWIN_NOT_FOUND', `"${path}" is not a twin or property of this graph, or you may not read it. Check the path (from a root twin, like plant1/line2/pump3/speed) and the policy.`, { details: { path } });
}

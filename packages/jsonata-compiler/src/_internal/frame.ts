import { jsonataError } from './values.js';

/** Per-evaluation state shared by every frame of one `evaluate()` call. */
export interface Run {
  /**
   * The instant `$now()` and `$millis()` return for the whole evaluation, in ms since the epoch; NaN until
   * first read through `instantOf`, so that evaluations which never ask for the time do not read the clock.
   */
  timestamp: number;
  /** Evaluation depth (counted as jsonata-js counts nested evaluation steps) where the current body runs. */
  depth: number;
  /** Maximum evaluation depth (0: unlimited). */
  readonly maxDepth: number;
  /** Wall-clock deadline in ms since the epoch (0: none). */
  readonly deadline: number;
  /** The configured timeout, reported in D1012. */
  readonly timeout: number;
  /** The input document, bound to `$$`. */
  readonly input: unknown;
  /** The bindings given to this `evaluate()` call. */
  readonly bindings: Readonly<Record<string, unknown>> | undefined;
  /** Built-in functions and the bindings given to `compile()`, below every scope. */
  readonly globals: ReadonlyMap<string, unknown>;
}

/** A variable scope: bindings plus the enclosing scope, and the run it belongs to. */
export class Frame {
  // The fields are set in the constructor only (`declare`): class field definitions would run a separate
  // initialiser on every construction, and a frame is made per evaluation, call and tuple.
  declare readonly parent: Frame | undefined;
  declare readonly run: Run;
  // Most scopes bind nothing (blocks without assignments, calls without parameters): allocate on first use.
  declare private vars: Map<string, unknown> | undefined;

  constructor(parent: Frame | undefined, run: Run) {
    this.parent = parent;
    this.run = run;
    this.vars = undefined;
  }

  bind(name: string, value: unknown): void {
    this.vars ??= new Map();
    this.vars.set(name, value);
  }

  /** The evaluation's instant as a Date, which some library built-ins read from their scope. */
  get timestamp(): Date {
    return new Date(instantOf(this.run));
  }

  lookup(name: string): unknown {
    let frame: Frame | undefined = this;
    while (frame) {
      const vars = frame.vars;
      if (vars) {
        const v = vars.get(name);
        if (v !== undefined || vars.has(name)) return v;
      }
      frame = frame.parent;
    }
    const run = this.run;
    if (name === '$') return run.input;
    if (run.bindings && Object.hasOwn(run.bindings, name)) return run.bindings[name];
    return run.globals.get(name);
  }

  /** A new empty scope inside this one. */
  child(): Frame {
    return new Frame(this, this.run);
  }

  /** A child scope whose bindings are the properties of a tuple (focus, index and parent slots). */
  withTuple(tuple: Record<string, unknown>): Frame {
    const frame = new Frame(this, this.run);
    for (const key in tuple) frame.bind(key, tuple[key]);
    return frame;
  }
}

/** The evaluation's instant: the clock is read on first use, then the same value for the whole evaluation. */
export function instantOf(run: Run): number {
  if (Number.isNaN(run.timestamp)) run.timestamp = Date.now();
  return run.timestamp;
}

/** Enforces the depth and time guard rails on a function application `siteDepth` steps below the body. */
export function enterCall(run: Run, siteDepth: number): void {
  run.depth += siteDepth;
  if (run.maxDepth > 0 && run.depth + 1 > run.maxDepth) throw jsonataError('D1011', { value: run.maxDepth });
  checkTime(run);
}

const depths = new WeakMap<object, number>();

/**
 * Records, for every node, how many evaluation steps below the enclosing function body (or the root) it
 * runs, so that calls can account for the depth jsonata-js would have reached without counting each step.
 */
export function annotateDepths(node: unknown, depth = 1): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) annotateDepths(item, depth);
    return;
  }
  depths.set(node, depth);
  const n = node as Record<string, unknown>;
  for (const key of Object.keys(n)) {
    if (key === 'signature' || key === 'slot' || key === 'ancestor') continue;
    annotateDepths(n[key], n.type === 'lambda' && key === 'body' ? 1 : depth + 1);
  }
}

/** The depth recorded by `annotateDepths`. */
export function depthOf(node: object): number {
  return depths.get(node) ?? 1;
}

/** Enforces the time guard rail. */
export function checkTime(run: Run): void {
  if (run.deadline > 0 && Date.now() > run.deadline) throw jsonataError('D1012', { value: run.timeout });
}

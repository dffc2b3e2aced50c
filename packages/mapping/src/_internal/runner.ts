import type { MappingError } from '../errors.js';
import type { MappingMessage } from '../types.js';
import { Ring } from './ring.js';
import { HELD, type RuleStep, type StepResult, ruleFailure } from './step.js';

/** What a full queue gives up: the oldest waiting message, or the one arriving. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest';

/** What a running chain reports. */
export interface ChainEvents {
  output(message: MappingMessage): void;
  filtered(step: RuleStep, message: MappingMessage): void;
  failed(step: RuleStep, message: MappingMessage, error: MappingError): void;
  shed(message: MappingMessage): void;
}

interface Resume {
  readonly message: MappingMessage;
  readonly from: number;
}

/**
 * Runs messages through a chain of steps one at a time, so each mapping keeps its order and `$last` sees
 * exactly the previous message. A synchronous step result continues at once; only a promise makes later
 * messages wait, in a fixed-size queue whose overflow is shed and counted.
 */
export class ChainRunner {
  private readonly inputs: Ring<MappingMessage>;
  private readonly resumes: Resume[] = [];
  private busy = false;
  /** What to do once the message in flight is done: drain the queue, or go on finishing. */
  private continuation: () => void = () => {};
  private closed = false;
  private onComplete: (() => void) | undefined;

  constructor(
    private readonly steps: readonly RuleStep[],
    private readonly events: ChainEvents,
    maxQueued: number,
    private readonly overflow: OverflowPolicy,
  ) {
    this.inputs = new Ring(Math.max(1, maxQueued));
    steps.forEach((step, i) => {
      step.attach?.((message) => this.resume(message, i + 1));
    });
  }

  /** Messages waiting behind the one in flight. */
  get queued(): number {
    return this.inputs.length;
  }

  push(message: MappingMessage): void {
    if (this.closed || this.onComplete) return;
    if (!this.busy) {
      this.drain({ message, from: 0 });
      return;
    }
    if (this.overflow === 'drop-newest' && this.inputs.length === this.inputs.capacity) {
      this.events.shed(message);
      return;
    }
    const evicted = this.inputs.push(message);
    if (evicted !== undefined) this.events.shed(evicted);
  }

  /** Continues the chain at step `from` with a message a step released on its own (a burst timer). */
  resume(message: MappingMessage, from: number): void {
    if (this.closed) return;
    if (this.busy) this.resumes.push({ message, from });
    else this.drain({ message, from });
  }

  /** Finishes the queued work, releases what steps hold, then calls `done`. */
  complete(done: () => void): void {
    if (this.closed) return;
    this.onComplete = done;
    if (!this.busy) this.finish(0);
  }

  close(): void {
    this.closed = true;
    this.inputs.clear();
    this.resumes.length = 0;
    for (const step of this.steps) step.dispose?.();
  }

  private next(): Resume | undefined {
    const resume = this.resumes.shift();
    if (resume) return resume;
    const message = this.inputs.shift();
    return message === undefined ? undefined : { message, from: 0 };
  }

  private drain(first: Resume): void {
    this.busy = true;
    let task: Resume | undefined = first;
    while (task !== undefined && !this.closed) {
      if (!this.run(task.message, task.from)) {
        this.continuation = this.drainNext;
        return;
      }
      task = this.next();
    }
    this.idle();
  }

  private readonly drainNext = (): void => {
    const following = this.next();
    if (following !== undefined) this.drain(following);
    else this.idle();
  };

  private idle(): void {
    this.busy = false;
    if (this.onComplete && !this.closed) this.finish(0);
  }

  private finish(from: number): void {
    this.busy = true;
    for (let i = from; i < this.steps.length && !this.closed; i++) {
      const held = this.steps[i]!.flush?.();
      if (held === undefined) continue;
      if (!this.run(held, i + 1)) {
        this.continuation = () => this.finish(i + 1);
        return;
      }
    }
    if (this.closed) return;
    const done = this.onComplete;
    this.close();
    done?.();
  }

  /**
   * Runs `message` from step `from` to the end. Returns `true` when done synchronously; otherwise a step's
   * promise continues the chain and, once the message is done, calls `continuation` (no promise is chained
   * to another, which would cost extra microtasks per message).
   */
  private run(message: MappingMessage, from: number): boolean {
    let current = message;
    for (let i = from; i < this.steps.length; i++) {
      const step = this.steps[i]!;
      let result: StepResult | Promise<StepResult>;
      try {
        result = step.process(current);
      } catch (error) {
        this.events.failed(step, current, ruleFailure(step.ref, current, error));
        return true;
      }
      if (result instanceof Promise) {
        const at = current;
        result.then(
          (settled) => {
            if (this.settle(settled, at, i)) this.continuation();
          },
          (error: unknown) => {
            this.events.failed(step, at, ruleFailure(step.ref, at, error));
            this.continuation();
          },
        );
        return false;
      }
      if (result === HELD) return true;
      if (result === undefined) {
        this.events.filtered(step, current);
        return true;
      }
      current = result;
    }
    this.events.output(current);
    return true;
  }

  private settle(result: StepResult, message: MappingMessage, index: number): boolean {
    if (this.closed || result === HELD) return true;
    if (result === undefined) {
      this.events.filtered(this.steps[index]!, message);
      return true;
    }
    return this.run(result, index + 1);
  }
}

import type { SchedulerLike } from 'rxjs';
import type { StashStore } from '../stash-store.js';
import type { MappingMessage, MessageContext, RuleType } from '../types.js';
import { MappingError, describeCause } from '../errors.js';

/** A step's answer for a message it holds back to release later (burst). */
export const HELD: unique symbol = Symbol('held');

/** The message to pass on, `undefined` to drop it (filtered), or `HELD`. */
export type StepResult = MappingMessage | undefined | typeof HELD;

/** Where a step sits in its chain, for errors, dead letters and counters. */
export interface RuleRef {
  /** Position in the entry's `rules`, from 0. */
  readonly index: number;
  readonly type: RuleType;
}

/** One link of a running chain. */
export interface RuleStep {
  /** The rule this step runs; absent for the pipeline's own entry and publish steps. */
  readonly ref: RuleRef | undefined;
  /** Handles one message, synchronously or with a native promise. Throws for a failure of this message. */
  process(message: MappingMessage): StepResult | Promise<StepResult>;
  /** Rules that release messages on their own get the function continuing the chain after them. */
  attach?(release: (message: MappingMessage) => void): void;
  /** Called when the source completes: release what is held. */
  flush?(): MappingMessage | undefined;
  /** Cancels timers. */
  dispose?(): void;
}

/** The state one running chain shares between its steps. */
export interface RunState {
  readonly store: StashStore;
  readonly scheduler: SchedulerLike;
  /** Upper bound of entries in each stateful rule's memory. */
  readonly maxStateEntries: number;
}

/** A validated rule with its expressions compiled; `create` builds a fresh step per running chain. */
export interface RulePlan {
  readonly type: RuleType;
  create(state: RunState, ref: RuleRef): RuleStep;
}

const EMPTY_VARS: Readonly<Record<string, unknown>> = Object.freeze({});

/** The context of `message`, empty when it has none. */
export function contextOf(message: MappingMessage): MessageContext {
  return message.context ?? { vars: message.vars ?? EMPTY_VARS };
}

/** A copy of `message` carrying `payload`. */
export function withPayload(message: MappingMessage, payload: unknown): MappingMessage {
  return {
    topic: message.topic,
    payload,
    timestamp: message.timestamp,
    qos: message.qos,
    retain: message.retain,
    vars: message.vars,
    context: message.context,
  };
}

/** A copy of `message` with another context. */
export function withContext(message: MappingMessage, context: MessageContext): MappingMessage {
  return { ...message, context };
}

/** The error a rule raises for one message, naming the rule and the topic. */
export function ruleFailure(ref: RuleRef | undefined, message: MappingMessage, cause: unknown): MappingError {
  if (cause instanceof MappingError) return cause;
  const rule = ref ? `${ref.type} rule (rule ${ref.index + 1})` : 'rule';
  // Tolerates a malformed message, so even that becomes a dead letter rather than a crash.
  const topic = String(message?.topic);
  return new MappingError(
    'RULE_FAILED',
    `The ${rule} failed for a message on "${topic}": ${describeCause(cause)}. The message was dropped; fix the rule or the data.`,
    { cause, details: { topic, ...(ref ? { rule: ref.index, type: ref.type } : {}) } },
  );
}

/** Where in a chain an option error is, for messages. */
export function ruleName(type: RuleType, index: number | undefined): string {
  return index === undefined ? `The ${type} rule` : `Rule ${index + 1} (${type})`;
}

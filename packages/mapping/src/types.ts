import type { Message, QoS } from '@iiot/core';

/** The binary and text formats of the `parse` rule. */
export type ParseFormat =
  | 'json'
  | 'utf8'
  | 'latin1'
  | 'ascii'
  | 'boolean'
  | 'int8'
  | 'uint8'
  | 'int16BE'
  | 'int16LE'
  | 'uint16BE'
  | 'uint16LE'
  | 'int32BE'
  | 'int32LE'
  | 'uint32BE'
  | 'uint32LE'
  | 'floatBE'
  | 'floatLE'
  | 'doubleBE'
  | 'doubleLE'
  | 'toBase64'
  | 'fromBase64';

/** How a `cov` deadband is measured: in the key's units, or in percent of the last passed value. */
export type DeadbandMode = 'absolute' | 'relative';

/** Options of a `cov` rule. */
export interface CovRuleOptions {
  /** The payload field to watch; a dotted path reaches into nested objects. */
  key: string;
  /** The change needed to pass; without it any change passes (deep equality). @default undefined */
  deadband?: number;
  /** @default 'absolute' */
  deadbandMode?: DeadbandMode;
}

/** Options of a `burst` rule; at least one of the two. */
export interface BurstRuleOptions {
  /** Milliseconds from the first message of a batch until the batch is released. @default undefined */
  interval?: number;
  /** The batch is released as soon as it holds this many messages. @default undefined */
  maxSize?: number;
}

/** One rule as written in a commissioning file: an object with exactly one key. */
export type RuleSpec =
  | { transform: { expression: string } }
  | { filter: { expression: string } }
  | { parse: { format: ParseFormat } }
  | { setContextVars: { vars: Record<string, string> } }
  | { stash: { label: string } }
  | { cov: CovRuleOptions }
  | { collect: Record<string, never> | null }
  | { burst: BurstRuleOptions };

/** The name of a rule. */
export type RuleType = 'transform' | 'filter' | 'parse' | 'setContextVars' | 'stash' | 'cov' | 'collect' | 'burst';

/** One subscription of a mapping entry. */
export interface SubscriptionSpec {
  /** A topic filter with optional named wildcards (`+machine`, `#rest`), already resolved. */
  topic: string;
  /** The key of this source in `collect` and `$context.label`; may use `{name}` of the topic's wildcards. */
  label?: string;
}

/** One entry of a `Cybus::Mapping`'s `mappings` (or an endpoint's rules), independent of the file format. */
export interface MappingEntry {
  /** One subscription or several; an empty list takes messages as they come (endpoint rules). */
  subscribe: SubscriptionSpec | readonly SubscriptionSpec[];
  /** Where results go; without a topic they keep their source topic. */
  publish?: { topic?: string; qos?: QoS; retain?: boolean };
  /** The rule chain, run top to bottom. @default [] */
  rules?: readonly RuleSpec[];
}

/** What rules know about a message beyond the core `Message`. */
export interface MessageContext {
  /** Captured wildcards plus variables set by `setContextVars`, with their JSON types. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** The subscription's label for this message (rendered), if it has one. */
  readonly label?: string;
  /** `stash` values as this message sees them: the previous message's, not its own. */
  readonly stashed?: Readonly<Record<string, unknown>>;
}

/** A message inside a rule chain. */
export interface MappingMessage<Payload = unknown> extends Message<Payload> {
  context?: MessageContext;
}

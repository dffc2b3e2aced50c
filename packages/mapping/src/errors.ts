import { IiotError, type IiotErrorOptions } from '@iiot/core';

/** Codes raised by `@iiot/mapping`. */
export type MappingErrorCode =
  /** A rule in the mapping entry is not one of the known rules, or its options are wrong. */
  | 'RULE_INVALID'
  /** A JSONata expression does not compile. */
  | 'EXPRESSION_INVALID'
  /** A rule failed for one message (JSONata runtime error, bytes that do not parse, …). */
  | 'RULE_FAILED'
  /** A payload reached a rule that needs a value, but its bytes are not JSON. */
  | 'PAYLOAD_NOT_JSON'
  /** A message arrived on a topic none of the mapping's subscriptions matches. */
  | 'TOPIC_NOT_SUBSCRIBED'
  /** The publish topic could not be built for a message (a variable is missing or invalid). */
  | 'PUBLISH_TOPIC_INVALID';

/** The error every part of `@iiot/mapping` raises; branch on `code`. */
export class MappingError extends IiotError<MappingErrorCode> {
  constructor(code: MappingErrorCode, message: string, options: IiotErrorOptions = {}) {
    super(code, message, options);
  }
}

/** The text of a JSONata error object (which is not an `Error`), with its code and position. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (cause && typeof cause === 'object') {
    const { message, code, position } = cause as { message?: unknown; code?: unknown; position?: unknown };
    const where = typeof position === 'number' ? ` at character ${position}` : '';
    const tag = typeof code === 'string' ? ` [${code}${where}]` : '';
    return `${typeof message === 'string' ? message : String(cause)}${tag}`;
  }
  return String(cause);
}

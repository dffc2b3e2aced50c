/** Codes raised by `@iiot/core` itself; other packages extend the union with their own. */
export type CoreErrorCode =
  | 'TOPIC_FILTER_INVALID'
  | 'TOPIC_NAME_INVALID'
  | 'TOPIC_TEMPLATE_INVALID'
  | 'TOPIC_TEMPLATE_UNKNOWN_NAME';

export interface IiotErrorOptions {
  /** Whether trying the same operation again may succeed (a broker that is down: yes; a typo: no). @default false */
  retryable?: boolean;
  /** The underlying error, kept for diagnosis. Its message is redacted when this error is redacted. */
  cause?: unknown;
  /** Extra structured facts (resource id, topic, …) for logs and status output. */
  details?: Record<string, unknown>;
}

/**
 * The base of every error the toolkit raises. Callers branch on `code`, never on message text.
 */
export class IiotError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: Code, message: string, options: IiotErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  /** A JSON form without the stack, safe for status output once redacted. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** True when `error` is an `IiotError`, optionally with the given code. */
export function isIiotError<Code extends string = string>(
  error: unknown,
  code?: Code,
): error is IiotError<Code> {
  return error instanceof IiotError && (code === undefined || error.code === code);
}

import { redact, SECRET_KEYS } from '@iiot/core';
import { type DestinationStream, type Logger, pino } from 'pino';

/** How the runtime logs. */
export interface LoggerOptions {
  /** Minimum level written. @default 'info' */
  level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** Where JSON lines go. @default standard error */
  destination?: DestinationStream;
  /** Literal secret values (passwords, keys) to blank out of every line, besides the well-known secret keys. */
  secrets?: () => Iterable<string>;
}

export type { Logger };

/**
 * Creates a structured JSON logger whose every line passes through core's `redact`: private keys, passwords
 * and credentials in URLs never reach the log, whatever object is logged.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? (() => []);
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      formatters: {
        log: (object) => redact(object, { secrets: secrets(), keys: SECRET_KEYS }),
      },
      hooks: {
        // The message text may quote an error or a value; redact it the same way as the structured facts.
        logMethod(args, method) {
          const list = [...secrets()];
          const cleaned = args.map((a) => (typeof a === 'string' ? redact(a, { secrets: list }) : a));
          method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
      serializers: { err: (e: unknown) => redact(e, { secrets: secrets() }) },
    },
    options.destination ?? pino.destination(2),
  );
}

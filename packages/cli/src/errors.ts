import { IiotError, type IiotErrorOptions } from '@iiot/core';

/** Codes raised by the `iiot` command itself. */
export type CliErrorCode = 'CLI_USAGE';

/** A wrong command line; the message says what to type instead. */
export class CliError extends IiotError<CliErrorCode> {
  constructor(code: CliErrorCode, message: string, options?: IiotErrorOptions) {
    super(code, message, options);
  }
}

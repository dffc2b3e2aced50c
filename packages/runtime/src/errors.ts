import { IiotError, type IiotErrorOptions } from '@iiot/core';

/** Codes raised by `@iiot/runtime`. */
export type RuntimeErrorCode =
  | 'SERVICE_NOT_FOUND'
  | 'SERVICE_EXISTS'
  | 'SERVICE_STATE_INVALID'
  | 'SERVICE_DEPENDENCY_MISSING'
  | 'SERVICE_HAS_DEPENDENTS'
  | 'ENABLE_FAILED'
  | 'PROTOCOL_UNKNOWN'
  | 'RESOURCE_UNSUPPORTED'
  | 'BROKER_START_FAILED'
  | 'BROKER_INSECURE'
  | 'STATE_STORE_FAILED'
  | 'DEFINITION_UNKNOWN'
  | 'RUNTIME_CLOSED';

/** An error of the service manager; `code` says what went wrong, the message says where and what to do. */
export class RuntimeError extends IiotError<RuntimeErrorCode> {
  constructor(code: RuntimeErrorCode, message: string, options?: IiotErrorOptions) {
    super(code, message, options);
  }
}

/** True when `error` is a `RuntimeError`, optionally with the given code. */
export function isRuntimeError(error: unknown, code?: RuntimeErrorCode): error is RuntimeError {
  return error instanceof RuntimeError && (code === undefined || error.code === code);
}

import { IiotError, type IiotErrorOptions } from '@iiot/core';

/** What went wrong in an OPC UA connection; callers branch on these, never on message text. */
export type OpcuaErrorCode =
  /** A connection property or endpoint address is missing or malformed. */
  | 'OPCUA_CONFIG_INVALID'
  /** The server could not be reached, refused the secure channel or the session. */
  | 'OPCUA_CONNECT_FAILED'
  /** The connection was lost, or the server stopped answering (keep-alive watchdog). */
  | 'OPCUA_CONNECTION_LOST'
  /** A request was made while no session is open; try again once the status is `connected`. */
  | 'OPCUA_NOT_CONNECTED'
  /** A node id does not exist on the server or a browse path matches no node. */
  | 'OPCUA_NODE_INVALID'
  /** A read answered with a Bad status code. */
  | 'OPCUA_READ_FAILED'
  /** A write answered with a Bad status code, or the value does not fit the variable's data type. */
  | 'OPCUA_WRITE_FAILED'
  /** The connection was closed by its owner. */
  | 'OPCUA_CLOSED';

/** An error of `@iiot/connectors-opcua`. */
export class OpcuaError extends IiotError<OpcuaErrorCode> {
  constructor(code: OpcuaErrorCode, message: string, options?: IiotErrorOptions) {
    super(code, message, options);
  }
}

/** True when `error` is an `OpcuaError`, optionally with the given code. */
export function isOpcuaError(error: unknown, code?: OpcuaErrorCode): error is OpcuaError {
  return error instanceof OpcuaError && (code === undefined || error.code === code);
}

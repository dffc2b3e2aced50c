import { IiotError, type IiotErrorOptions } from '@iiot/core';

/** Why a message was refused before it was sent: each one would make AWS IoT close the connection. */
export type AwsLimitCode =
  | 'AWS_PAYLOAD_TOO_LARGE'
  | 'AWS_TOPIC_TOO_LONG'
  | 'AWS_TOPIC_TOO_DEEP'
  | 'AWS_TOPIC_RESERVED'
  | 'AWS_TOPIC_INVALID'
  | 'AWS_QOS_UNSUPPORTED';

/** Codes raised by `@iiot/aws-transport`. */
export type AwsTransportErrorCode =
  | AwsLimitCode
  | 'AWS_CONFIG_INVALID'
  | 'AWS_CLIENT_ID_INVALID'
  | 'AWS_NOT_CONNECTED'
  | 'AWS_TRANSPORT_CLOSED'
  | 'AWS_PUBLISH_FAILED'
  | 'AWS_SUBSCRIBE_FAILED';

/** Codes of Device Shadow failures; `SHADOW_VERSION_CONFLICT` is AWS's 409. */
export type ShadowErrorCode =
  | 'SHADOW_VERSION_CONFLICT'
  | 'SHADOW_NOT_FOUND'
  | 'SHADOW_TOO_LARGE'
  | 'SHADOW_THROTTLED'
  | 'SHADOW_REJECTED'
  | 'SHADOW_TIMEOUT';

/** Codes of Greengrass discovery failures. */
export type GreengrassErrorCode =
  | 'GREENGRASS_FORBIDDEN'
  | 'GREENGRASS_THING_NOT_FOUND'
  | 'GREENGRASS_DISCOVERY_FAILED'
  | 'GREENGRASS_NO_CORE_REACHABLE';

/** A message or setting AWS IoT would refuse, or a connection that cannot carry a message now. */
export class AwsTransportError extends IiotError<AwsTransportErrorCode> {}

/** A Device Shadow request AWS IoT rejected (or did not answer in time). */
export class ShadowError extends IiotError<ShadowErrorCode> {
  /** The HTTP-like status AWS put in the rejected document (409, 404, 413, 429 …), when there was one. */
  readonly status: number | undefined;

  constructor(code: ShadowErrorCode, message: string, options: IiotErrorOptions & { status?: number } = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}

/** A Greengrass discovery request that failed. */
export class GreengrassError extends IiotError<GreengrassErrorCode> {}

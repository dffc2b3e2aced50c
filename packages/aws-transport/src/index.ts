export type { AwsLimitCode, AwsTransportErrorCode, ShadowErrorCode, GreengrassErrorCode } from './errors.js';
export { AwsTransportError, ShadowError, GreengrassError } from './errors.js';
export type { LimitViolation } from './limits.js';
export { AWS_IOT_LIMITS, checkAwsTopic, checkAwsPublish, checkAwsMessage, checkClientId, clampKeepalive, measuredTopic } from './limits.js';
export { AMAZON_ROOT_CA_1, AMAZON_ROOT_CA_3, AMAZON_ROOT_CAS } from './amazon-root-cas.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { ThrottleOptions, Throttle } from './throttle.js';
export { createThrottle } from './throttle.js';
export type { BatchingOptions, Batch, Batcher } from './batcher.js';
export { createBatcher } from './batcher.js';
export type { AwsIotTransportOptions, AwsIotTransportStatus, DeadLetter } from './transport-options.js';
export type { AwsIotTransport, InboundHandler } from './transport.js';
export { createAwsIotTransport } from './transport.js';
export type {
  ShadowState,
  ShadowDocument,
  ShadowUpdateAccepted,
  ShadowDelta,
  ShadowClientOptions,
  ShadowClient,
} from './shadow.js';
export { createShadowClient } from './shadow.js';
export type { BasicIngestSinkOptions } from './basic-ingest.js';
export { basicIngestTopic, createBasicIngestSink } from './basic-ingest.js';
export type { GreengrassDiscoveryOptions, GreengrassConnectivity, GreengrassGroup, GreengrassEndpoint } from './greengrass-discovery.js';
export { discoverGreengrass, parseGreengrassDiscovery, greengrassEndpoints } from './greengrass-discovery.js';
export type { GreengrassTransportOptions } from './greengrass-transport.js';
export { createGreengrassTransport } from './greengrass-transport.js';
export type { AwsSpoolOperator } from './spool.js';
export { spoolToAws } from './spool.js';

export type { MqttErrorCode } from './errors.js';
export { MqttError, isMqttError } from './errors.js';
export type { ConnectionStrategy, MqttClock, MqttConnectionOptions, MqttLogger, MqttWill } from './options.js';
export { DEFAULT_CONNECTION_STRATEGY } from './options.js';
export type {
  MqttConnection,
  MqttConnectionState,
  MqttConnectionStatus,
  MqttLiveness,
  MqttPublishOptions,
  PayloadFormat,
  SubscribeOptions,
} from './mqtt-connection.js';
export { createMqttConnection } from './mqtt-connection.js';

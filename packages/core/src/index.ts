export type { QoS, Message } from './message.js';
export type { Observer, Unsubscribable, Subscribable, MessageSource, MessageSink } from './contracts.js';
export { observableKey, createSubscribable } from './contracts.js';
export type { CoreErrorCode, IiotErrorOptions } from './errors.js';
export { IiotError, isIiotError } from './errors.js';
export type { RedactOptions } from './redact.js';
export { SECRET_KEYS, redact, redactText } from './redact.js';
export type { FilterLevel, TopicVars, TopicFilter } from './topic-filter.js';
export { parseTopicFilter, captureVars, topicMatches } from './topic-filter.js';
export type { TopicTemplate, TopicTemplateOptions } from './topic-template.js';
export { compileTopicTemplate } from './topic-template.js';
export { checkTopicName, assertTopicName } from './topic-name.js';
export type { TopicMatch } from './topic-index.js';
export { TopicIndex } from './topic-index.js';
export type {
  ConnectorState,
  ConnectorStatus,
  ConnectorSubscription,
  Connector,
  ConnectorContext,
  ConnectorFactory,
} from './connector.js';

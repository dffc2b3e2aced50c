import type { Message, MessageSink } from '@iiot/core';
import { AwsTransportError } from './errors.js';

const RULE_NAME = /^[A-Za-z0-9_]{1,128}$/;

/** The Basic Ingest topic that hands `topic` straight to IoT rule `ruleName`: `$aws/rules/<ruleName>/<topic>`. */
export function basicIngestTopic(ruleName: string, topic: string): string {
  if (!RULE_NAME.test(ruleName)) {
    throw new AwsTransportError(
      'AWS_CONFIG_INVALID',
      `IoT rule name "${ruleName.slice(0, 140)}" is not valid: use 1–128 letters, digits and underscores, as in the AWS IoT console.`,
    );
  }
  return `$aws/rules/${ruleName}/${topic}`;
}

export interface BasicIngestSinkOptions {
  /** Where messages go, usually an `AwsIotTransport`. */
  transport: MessageSink;
  /** The IoT rule that receives every message. */
  ruleName: string;
}

/**
 * A sink that publishes every message through Basic Ingest to one IoT rule, skipping the message broker (and
 * its cost). The rule sees the original topic after the prefix; AWS's 7-slash limit counts after it too.
 */
export function createBasicIngestSink(options: BasicIngestSinkOptions): MessageSink {
  basicIngestTopic(options.ruleName, 'x');
  return {
    publish: (message: Message) => options.transport.publish({ ...message, topic: basicIngestTopic(options.ruleName, message.topic) }),
  };
}

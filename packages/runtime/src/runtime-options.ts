import type { ConnectorFactory } from '@iiot/core';
import type { EmbeddedBrokerOptions } from './broker/embedded-broker.js';
import type { HttpOptions } from './http/observability-server.js';
import type { Logger, LoggerOptions } from './logger.js';
import type { ServiceStatus } from './service-instance.js';

/** An MQTT broker the runtime does not run itself. Broker permissions are then that broker's business. */
export interface ExternalBrokerOptions {
  /** `mqtt://host:port` or `mqtts://…`. */
  url: string;
  username?: string;
  password?: string;
}

/** Everything `createRuntime` needs. */
export interface RuntimeOptions {
  /** Where installed services, their target states and the sink buffers are kept. */
  dataDir: string;
  /** The embedded broker's settings, or an external broker's URL. @default embedded on 127.0.0.1:1883 */
  broker?: EmbeddedBrokerOptions | ExternalBrokerOptions;
  /** Connector factories besides the built-in ones; one for an existing protocol replaces it. @default [] */
  connectors?: ConnectorFactory[];
  /**
   * Host names to treat as AWS IoT endpoints besides `*.iot.<region>.amazonaws.com`, such as a local AWS IoT
   * stand-in: Mqtt connections to them go through `@iiot/aws-transport`. @default []
   */
  awsIotHosts?: string[];
  /** The status server's address, or `false` for none. @default 127.0.0.1:9464 */
  http?: HttpOptions | false;
  /** A pino logger, or options for the built-in one. @default info level to standard error */
  logger?: Logger | LoggerOptions;
}

/** How to install a service. */
export interface InstallOptions {
  /** @default metadata.name lower-cased with everything outside [a-z0-9] removed */
  serviceId?: string;
  /** Parameter values; strings are coerced to the declared type. @default {} */
  parameters?: Record<string, unknown>;
  /** Values that replace the file's `definitions` of the same name (certificates, say); the file is not changed. @default {} */
  definitions?: Record<string, unknown>;
}

/** What `reconfigure` changes; what is not given stays as installed. */
export interface ReconfigureChange {
  /** A new version of the file. */
  file?: CommissioningInput;
  /** All parameter values (they replace the installed ones). */
  parameters?: Record<string, unknown>;
  /** Definitions to replace, as in `install`. */
  definitions?: Record<string, unknown>;
}

/** A commissioning file given as its path, or as its text with a name for messages. */
export type CommissioningInput = string | { source: string; fileName: string };

/** The whole runtime in `status()` and `/status`. */
export interface RuntimeStatus {
  broker: { url: string; embedded: boolean };
  services: ServiceStatus[];
}

/** The running service manager. */
export interface Runtime {
  /** The local broker's URL. */
  readonly brokerUrl: string;
  /** The status server's URL, when it runs. */
  readonly httpUrl: string | undefined;
  readonly log: Logger;
  /** Parses, validates and installs a service (disabled). */
  install(file: CommissioningInput, options?: InstallOptions): Promise<ServiceStatus>;
  /** Starts every resource; a failure rolls back what was started. */
  enable(serviceId: string): Promise<ServiceStatus>;
  /** Stops every resource, flushing buffers as far as the targets accept. */
  disable(serviceId: string): Promise<ServiceStatus>;
  /** New parameters and/or a new file; while enabled only the changed resources restart. */
  reconfigure(serviceId: string, change: ReconfigureChange): Promise<ServiceStatus>;
  /** Disables and forgets a service, with its buffers. */
  uninstall(serviceId: string): Promise<void>;
  status(): RuntimeStatus;
  /** Stops every service (target states are kept for the next start), the broker and the status server. */
  close(): Promise<void>;
}


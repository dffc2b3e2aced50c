import { readFile } from 'node:fs/promises';
import { CommissioningError, type CommissioningIssue, invalidFileError } from './errors.js';
import { type SchemaRegistry, createSchemaRegistry } from './registry.js';
import type { ServiceDefinition } from './types.js';
import { analyze } from './_internal/analyze.js';

/** The local broker as the runtime will run it: the values of the `Cybus::Mqtt*` pseudo parameters. */
export interface BrokerInfo {
  /** `Cybus::MqttHost`. @default 'localhost' */
  host?: string;
  /** `Cybus::MqttPort`. @default 1883 */
  port?: number;
  /** `Cybus::MqttUser`. @default the service id */
  user?: string;
  /** `Cybus::MqttPassword`; a file that uses it without one given is invalid. No default. */
  password?: string;
}

export interface CommissioningOptions {
  /** The id the service is installed under. @default metadata.name lower-cased, without characters outside [a-z0-9] */
  serviceId?: string;
  /** Parameter values by name; text (from a command line) is converted to the declared type. @default {} */
  parameters?: Record<string, unknown>;
  /** The name issues carry. @default '<input>' (the path, for `loadCommissioningFile`) */
  fileName?: string;
  /** Protocols and resource types accepted. @default a registry with the built-in set */
  registry?: SchemaRegistry;
  /** Values of the `Cybus::Mqtt*` pseudo parameters. @default {} */
  broker?: BrokerInfo;
  /** Larger files are refused. @default 10485760 (10 MiB) */
  maxBytes?: number;
  /** Nodes that aliases may produce in total before the file is refused as an alias bomb. @default 10000 */
  maxAliasNodes?: number;
}

/** The outcome of `validateCommissioning`: every issue, and the definition when there are none. */
export interface ValidationResult {
  readonly issues: readonly CommissioningIssue[];
  readonly definition: ServiceDefinition | undefined;
}

let builtinRegistry: SchemaRegistry | undefined;

/** Parses, resolves and validates a commissioning file, returning every issue instead of throwing. */
export function validateCommissioning(text: string, options: CommissioningOptions = {}): ValidationResult {
  const file = options.fileName ?? '<input>';
  try {
    const result = analyze(text, {
      file,
      serviceId: options.serviceId,
      parameters: options.parameters ?? {},
      registry: options.registry ?? (builtinRegistry ??= createSchemaRegistry()),
      broker: { host: 'localhost', port: 1883, ...options.broker },
      maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
      maxAliasNodes: options.maxAliasNodes ?? 10_000,
    });
    return { issues: result.issues, definition: result.definition };
  } catch (error) {
    // The YAML parser recurses; a document nested thousands of levels deep exhausts the stack.
    if (!(error instanceof RangeError)) throw error;
    const issue: CommissioningIssue = {
      code: 'DOCUMENT_TOO_LARGE',
      message: 'The document is nested too deeply to be read.',
      file,
      line: 1,
      column: 1,
      path: '',
      hint: 'flatten it',
    };
    return { issues: [issue], definition: undefined };
  }
}

/** Parses, resolves and validates a commissioning file; throws a `CommissioningError` listing every issue. */
export function parseCommissioning(text: string, options: CommissioningOptions = {}): ServiceDefinition {
  const { issues, definition } = validateCommissioning(text, options);
  if (!definition) throw invalidFileError(issues);
  return definition;
}

/** Reads a commissioning file and parses it like `parseCommissioning`, with the path as file name. */
export async function loadCommissioningFile(path: string, options: CommissioningOptions = {}): Promise<ServiceDefinition> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CommissioningError(
      'COMMISSIONING_FILE_UNREADABLE',
      `Cannot read the commissioning file ${path}: ${(cause as Error).message}. Check the path and its permissions.`,
      [],
      { cause },
    );
  }
  return parseCommissioning(text, { fileName: path, ...options });
}

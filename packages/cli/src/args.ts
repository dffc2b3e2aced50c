import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError } from './errors.js';

/** The options every command understands (each uses those it needs). */
export interface CliArgs {
  command: string | undefined;
  files: string[];
  parameters: Record<string, string>;
  /** Values replacing the file's `definitions` (`--define name=@cert.pem`). */
  definitions: Record<string, string>;
  serviceId?: string;
  brokerPort?: number;
  broker?: string;
  dataDir?: string;
  httpPort?: number;
  help: boolean;
}

/** Parses the command line; `--param name=value` repeats, and a value `@path` is read from that file. */
export function parseCliArgs(argv: readonly string[], readFile = (p: string) => readFileSync(p, 'utf8')): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliError('CLI_USAGE', `${(error as Error).message}. Run "iiot --help" for usage.`);
  }
  const { values, positionals } = parsed;
  const pairs = (flag: string, list: string[] = []) => {
    const result: Record<string, string> = {};
    for (const pair of list) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new CliError('CLI_USAGE', `${flag} "${pair}" must look like name=value (or name=@file).`);
      const name = pair.slice(0, eq);
      const raw = pair.slice(eq + 1);
      if (!raw.startsWith('@')) {
        result[name] = raw;
        continue;
      }
      try {
        result[name] = readFile(raw.slice(1));
      } catch (cause) {
        throw new CliError('CLI_USAGE', `${flag} ${name}: cannot read ${raw.slice(1)} (${(cause as Error).message}).`, { cause });
      }
    }
    return result;
  };
  if (values['broker-port'] !== undefined && values.broker !== undefined) {
    throw new CliError('CLI_USAGE', 'Give either --broker-port (embedded broker) or --broker URL (external broker), not both.');
  }
  return {
    command: positionals[0],
    files: positionals.slice(1),
    parameters: pairs('--param', values.param),
    definitions: pairs('--define', values.define),
    ...(values['service-id'] !== undefined && { serviceId: values['service-id'] }),
    ...(values['broker-port'] !== undefined && { brokerPort: port(values['broker-port'], '--broker-port') }),
    ...(values.broker !== undefined && { broker: values.broker }),
    ...(values['data-dir'] !== undefined && { dataDir: values['data-dir'] }),
    ...(values['http-port'] !== undefined && { httpPort: port(values['http-port'], '--http-port') }),
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      param: { type: 'string', short: 'p', multiple: true },
      define: { type: 'string', short: 'd', multiple: true },
      'service-id': { type: 'string' },
      'broker-port': { type: 'string' },
      broker: { type: 'string' },
      'data-dir': { type: 'string' },
      'http-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError('CLI_USAGE', `${flag} must be a port number (0–65535), got "${value}".`);
  return n;
}

import { parseCliArgs } from './args.js';
import { planCommand } from './commands/plan.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { type CliIo, describeError, processIo } from './output.js';

const USAGE = `Usage: iiot <command> [options]

  iiot validate FILE [--param name=value]…   check a commissioning file; prints file:line:col: code: message
  iiot plan FILE [--param name=value]…       what the file would create: connections, routes, permissions
  iiot run FILE… [options]                   install, enable and run until Ctrl-C (SIGINT) or SIGTERM
  iiot schema                                the commissioning file JSON Schema, for editors

Options:
  --param, -p name=value   a parameter value; name=@path reads it from a file (certificates, keys)
  --define, -d name=value   replace a value under the file's definitions (name=@path reads a file)
  --service-id ID          the service id (default: from metadata.name)
  --broker-port N          port of the embedded MQTT broker on 127.0.0.1 (default 1883)
  --broker URL             use an external MQTT broker instead of the embedded one
  --data-dir DIR           installed services and buffers (default ./.iiot)
  --http-port N            /healthz, /status and /metrics on 127.0.0.1 (default 9464)`;

/** Runs the `iiot` command with these arguments; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.help || args.command === undefined) {
      (args.help ? io.out : io.err)(USAGE);
      return args.help ? 0 : 2;
    }
    switch (args.command) {
      case 'validate':
        return validateCommand(args, io);
      case 'plan':
        return planCommand(args, io);
      case 'schema':
        return schemaCommand(io);
      case 'run':
        return await runCommand(args, io);
      default:
        io.err(`iiot: unknown command "${args.command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    for (const line of describeError(error)) io.err(`iiot: ${line}`);
    return (error as { code?: string }).code === 'CLI_USAGE' ? 2 : 1;
  }
}

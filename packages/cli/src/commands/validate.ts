import { readFileSync } from 'node:fs';
import { validateCommissioning } from '@iiot/commissioning';
import type { CliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { type CliIo, formatIssue } from '../output.js';

/** `iiot validate FILE`: prints `file:line:col: code: message` per issue; 0 when valid, 1 when not. */
export function validateCommand(args: CliArgs, io: CliIo): number {
  const file = single(args, 'validate');
  const { issues, definition } = validateCommissioning(readFileSync(file, 'utf8'), {
    fileName: file,
    parameters: args.parameters,
    ...(args.serviceId !== undefined && { serviceId: args.serviceId }),
  });
  for (const issue of issues) io.err(formatIssue(issue));
  if (!definition) {
    io.err(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`);
    return 1;
  }
  io.out(`${file}: valid (service ${definition.serviceId}, ${definition.resources.length} resources)`);
  return 0;
}

/** The one file a command takes. */
export function single(args: CliArgs, command: string): string {
  const [file, ...rest] = args.files;
  if (file === undefined || rest.length > 0) throw new CliError('CLI_USAGE', `iiot ${command} takes one commissioning file: iiot ${command} service.yaml`);
  return file;
}

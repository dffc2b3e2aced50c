import { createRuntime, isRuntimeError, type Runtime } from '@iiot/runtime';
import type { CliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { type CliIo, describeError } from '../output.js';

const DEFAULT_DATA_DIR = '.iiot';

/**
 * `iiot run FILE…`: installs (or reconfigures) and enables each file, then runs until SIGINT or SIGTERM and
 * shuts down cleanly: buffers flushed as far as the targets accept, connections closed. Resolves to the exit code.
 */
export async function runCommand(args: CliArgs, io: CliIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  if (args.files.length === 0) throw new CliError('CLI_USAGE', 'iiot run needs at least one commissioning file: iiot run service.yaml');
  if (args.serviceId !== undefined && args.files.length > 1) {
    throw new CliError('CLI_USAGE', '--service-id names one service: give it with a single file.');
  }
  const runtime = await createRuntime({
    dataDir: args.dataDir ?? DEFAULT_DATA_DIR,
    broker: args.broker !== undefined ? { url: args.broker } : { port: args.brokerPort ?? 1883 },
    http: { port: args.httpPort ?? 9464 },
  });
  const stopped = new Promise<string>((resolve) => {
    signals.once('SIGINT', () => resolve('SIGINT'));
    signals.once('SIGTERM', () => resolve('SIGTERM'));
  });
  try {
    for (const file of args.files) await installAndEnable(runtime, file, args);
  } catch (error) {
    for (const line of describeError(error)) io.err(line);
    await runtime.close();
    return 1;
  }
  io.err(`iiot: running ${runtime.status().services.length} service(s); broker ${runtime.brokerUrl}, status ${runtime.httpUrl ?? 'off'}. Ctrl-C stops.`);
  const signal = await stopped;
  io.err(`iiot: ${signal} received, shutting down`);
  await runtime.close();
  return 0;
}

async function installAndEnable(runtime: Runtime, file: string, args: CliArgs): Promise<void> {
  const options = { parameters: args.parameters, definitions: args.definitions, ...(args.serviceId !== undefined && { serviceId: args.serviceId }) };
  let serviceId: string;
  try {
    serviceId = (await runtime.install(file, options)).serviceId;
  } catch (error) {
    if (!isRuntimeError(error, 'SERVICE_EXISTS')) throw error;
    serviceId = (error.details?.serviceId as string) ?? '';
    await runtime.reconfigure(serviceId, { file, parameters: args.parameters, definitions: args.definitions });
  }
  await runtime.enable(serviceId);
}

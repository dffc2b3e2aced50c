import { parseCommissioning } from '@iiot/commissioning';
import { readFileSync } from 'node:fs';
import { planService } from '@iiot/runtime';
import type { CliArgs } from '../args.js';
import type { CliIo } from '../output.js';
import { single } from './validate.js';

/** `iiot plan FILE`: what the file would create — connections, endpoints, routes with topic templates, broker users. */
export function planCommand(args: CliArgs, io: CliIo): number {
  const file = single(args, 'plan');
  const definition = parseCommissioning(readFileSync(file, 'utf8'), {
    fileName: file,
    parameters: args.parameters,
    ...(args.serviceId !== undefined && { serviceId: args.serviceId }),
  });
  const plan = planService(definition);
  const lines = [`service ${plan.serviceId} (MQTT root services/${plan.serviceId})`];
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push('', `${title}:`, ...items.map((i) => `  ${i}`));
  };
  section(
    'connections',
    plan.connections.map((c) => `${c.id}: ${c.protocol} ${c.target}${c.transport === 'aws-iot' ? ' via AWS IoT transport' : ''}${c.buffered ? ', disk buffer in front' : ''}`),
  );
  section('endpoints', plan.endpoints.map((e) => `${e.id}: ${e.operation} ${e.address} on ${e.connection} <-> ${e.topic}`));
  section('routes', plan.routes.map((r) => `${r.mapping}: ${r.from.join(' + ')} -> [${r.rules.join(', ')}] -> ${r.to}`));
  section(
    'broker users',
    plan.users.map((u) => `${u.username}: ${u.permissions.map((p) => `${p.operation} ${p.resource}`).join(', ') || 'no permissions'}`),
  );
  section('not run by this runtime', plan.unsupported.map((u) => `${u.id}: ${u.type}`));
  io.out(lines.join('\n'));
  return 0;
}

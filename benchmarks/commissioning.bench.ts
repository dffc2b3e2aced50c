// pnpm bench commissioning: parse + validate a generated commissioning file with 5,000 resources, against the
// `yaml` library's own parse of the same text as baseline.
import { validateCommissioning } from '@iiot/commissioning';
import { parseDocument } from 'yaml';
import { median, printTable } from './lib/harness.js';

const RESOURCES = 5000;

/** A plant: connections, endpoints on them, mappings with rule chains, and roles, in the proportions of real files. */
function generate(count: number): string {
  const lines = ['description: generated plant', 'metadata:', '  name: Generated Plant', 'parameters:', '  brokerHost:', '    type: string', '    default: localhost', 'resources:'];
  const connections = Math.ceil(count / 10);
  for (let i = 0; i < connections; i++) {
    const opcua = i % 2 === 1;
    lines.push(
      `  conn${i}:`,
      '    type: Cybus::Connection',
      '    properties:',
      `      protocol: ${opcua ? 'Opcua' : 'Mqtt'}`,
      '      connection:',
      `        host: ${opcua ? `plc${i}.local` : '!ref brokerHost'}`,
      `        port: ${opcua ? 4840 : 1883}`,
    );
  }
  let made = connections;
  for (let i = 0; made < count; i++) {
    const conn = i % connections;
    const opcua = conn % 2 === 1;
    lines.push(
      `  point${i}:`,
      '    type: Cybus::Endpoint',
      '    properties:',
      `      protocol: ${opcua ? 'Opcua' : 'Mqtt'}`,
      `      connection: !ref conn${conn}`,
      '      subscribe:',
      opcua ? `        nodeId: ns=2;s=Line${conn}.Value${i}` : `        topic: devices/${conn}/value${i}`,
    );
    made++;
    if (made >= count) break;
    lines.push(
      `  map${i}:`,
      '    type: Cybus::Mapping',
      '    properties:',
      '      mappings:',
      '        - subscribe:',
      `            - endpoint: !ref point${i}`,
      `            - topic: !sub '\${Cybus::MqttRoot}/line${conn}/+machine/value${i}'`,
      '          publish:',
      `            topic: plant/line${conn}/{machine}/$kind/value${i}`,
      '          rules:',
      '            - setContextVars:',
      '                vars:',
      `                  kind: $.kind & "-${i}"`,
      '            - transform:',
      '                expression: |',
      '                  {',
      `                    "value": $.value * ${(i % 7) + 1},`,
      `                    "line": ${conn},`,
      '                    "ts": $now()',
      '                  }',
      '            - filter:',
      `                expression: value > ${i % 100}`,
    );
    made++;
  }
  return `${lines.join('\n')}\n`;
}

const text = generate(RESOURCES);
const runs = 7;
const validateMs: number[] = [];
const yamlMs: number[] = [];
for (let r = 0; r < runs + 1; r++) {
  const t0 = performance.now();
  parseDocument(text);
  const t1 = performance.now();
  const { issues, definition } = validateCommissioning(text);
  const t2 = performance.now();
  if (issues.length || definition?.resources.length !== RESOURCES) throw new Error(`generated file is invalid: ${JSON.stringify(issues.slice(0, 3))}`);
  if (r === 0) continue; // warm-up: ajv compiles the schemas once
  yamlMs.push(t1 - t0);
  validateMs.push(t2 - t1);
}

const yaml = median(yamlMs);
const validate = median(validateMs);
console.log(`file: ${RESOURCES} resources, ${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines; median of ${runs} runs`);
printTable('commissioning — parse + validate', ['step', 'ms', 'resources/s', 'ratio to yaml parse'], [
  ['yaml parseDocument (baseline)', yaml, (RESOURCES / yaml) * 1000, 1],
  ['validateCommissioning (parse, resolve, schemas, JSONata, topics, order)', validate, (RESOURCES / validate) * 1000, validate / yaml],
]);
const target = 5000;
console.log(`\ntarget ≥ ${target} resources/s: ${(RESOURCES / validate) * 1000 >= target ? 'met' : 'missed'}`);

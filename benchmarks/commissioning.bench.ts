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
// The same plant behind a `---` document marker: the fast reader leaves such files to `yaml`'s full parser.
const marked = `---\n${text}`;
const runs = 7;
// Wall time and the process's CPU time: on a shared machine the wall time also counts waiting for a core, the
// CPU time does not (it is what the same run would take on an idle machine, give or take caches).
type Step = 'yaml' | 'validate' | 'validateYaml';
const wall: Record<Step, number[]> = { yaml: [], validate: [], validateYaml: [] };
const cpu: Record<Step, number[]> = { yaml: [], validate: [], validateYaml: [] };
function time(step: Step, run: () => void, record: boolean): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  run();
  const t1 = performance.now();
  const c = process.cpuUsage(c0);
  if (!record) return;
  wall[step].push(t1 - t0);
  cpu[step].push((c.user + c.system) / 1000);
}
for (let r = 0; r < runs + 1; r++) {
  const record = r > 0; // the first run warms up: ajv compiles the schemas once
  time('yaml', () => parseDocument(text), record);
  for (const [step, input] of [['validate', text], ['validateYaml', marked]] as const) {
    time(
      step,
      () => {
        const { issues, definition } = validateCommissioning(input);
        if (issues.length || definition?.resources.length !== RESOURCES) throw new Error(`generated file is invalid: ${JSON.stringify(issues.slice(0, 3))}`);
      },
      record,
    );
  }
}

const rate = (ms: number) => (RESOURCES / ms) * 1000;
const [yamlWall, yamlCpu, validateWall, validateCpu] = [median(wall.yaml), median(cpu.yaml), median(wall.validate), median(cpu.validate)];
const [fallbackWall, fallbackCpu] = [median(wall.validateYaml), median(cpu.validateYaml)];
console.log(`file: ${RESOURCES} resources, ${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines; median of ${runs} runs`);
printTable('commissioning — parse + validate', ['step', 'wall ms', 'resources/s (wall)', 'CPU ms', 'resources/s (CPU)', 'ratio to yaml parse (CPU)'], [
  ['yaml parseDocument (baseline)', yamlWall, rate(yamlWall), yamlCpu, rate(yamlCpu), 1],
  ['validateCommissioning (parse, resolve, schemas, JSONata, topics, order)', validateWall, rate(validateWall), validateCpu, rate(validateCpu), validateCpu / yamlCpu],
  ['validateCommissioning, file behind `---` (read by yaml\'s parser)', fallbackWall, rate(fallbackWall), fallbackCpu, rate(fallbackCpu), fallbackCpu / yamlCpu],
]);
console.log(`\ntarget ≥ 5000 resources/s: ${rate(validateWall) >= 5000 ? 'met' : 'missed'} by wall time, ${rate(validateCpu) >= 5000 ? 'met' : 'missed'} by CPU time`);

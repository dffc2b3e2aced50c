import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ProtocolSchema, createSchemaRegistry, isResourceType, parseCommissioning, validateCommissioning } from '../src/index.js';
import { referencePath } from '@iiot/test-support';

const examples = referencePath('examples/');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(f) ? [p] : [];
    });
}

// The gallery also uses connectors that are not built in; a gateway whose connectors registered them accepts
// their endpoints. Their schemas here are deliberately loose: the test is about the files, not these protocols.
const loose: Omit<ProtocolSchema, 'name'> = { connection: { type: 'object' }, address: { type: 'object' } };
const registry = createSchemaRegistry()
  .registerProtocol({ name: 'Modbus', ...loose })
  .registerProtocol({ name: 'Http', ...loose })
  .registerProtocol({ name: 'S7', ...loose });

/** Parameters for files that declare one without a default. */
const parameters: Record<string, Record<string, unknown>> = {
  'seed/greengrass.yaml': { Greengrass_Core_Endpoint_Address: 'greengrass.local' },
  'gallery/05_security/user-management/users-example-commissioning-file.yml': { userPassword: 'correct horse battery' },
};

// The subscribe topic is written `${Cybus::MqttRoot}/…` without !sub. The spec interpolates only inside !sub,
// so the mapping would subscribe to the literal text and never see what its endpoints publish under
// services/<serviceId>/…; the file's documented input → output cannot happen.
const missingSub = (line: number) => [{ code: 'SUB_TAG_MISSING', line, column: 18 }];

/** Files that are wrong, why, and the issues that say so. Every other file must validate. */
const wrong: Record<string, { code: string; line: number; column: number }[]> = {
  'gallery/02_data-processing/01_transform/01_sensor_standardization.scf.yaml': missingSub(56),
  'gallery/02_data-processing/01_transform/02_machine_enrichment.scf.yaml': missingSub(58),
  'gallery/02_data-processing/01_transform/03_temperature_conversion.scf.yaml': missingSub(65),
  'gallery/02_data-processing/01_transform/04_production_restructuring.scf.yaml': missingSub(68),
  'gallery/02_data-processing/01_transform/05_equipment_monitoring.scf.yaml': missingSub(65),
  'gallery/02_data-processing/01_transform/06_bit_extraction.scf.yaml': missingSub(44),
  'gallery/02_data-processing/01_transform/07_database_standardization.scf.yaml': missingSub(44),
  'gallery/02_data-processing/01_transform/08_quality_data_processing.scf.yaml': missingSub(43),
  'gallery/02_data-processing/01_transform/09_energy_monitoring.scf.yaml': missingSub(45),
  'gallery/02_data-processing/01_transform/10_alarm_processing.scf.yaml': missingSub(43),
  // The file says itself that its connections are "referenced with !ref but not defined here"; and fromBase64 is
  // not among the parse formats of the spec.
  'gallery/02_data-processing/03_parse/service.scf.yaml': [
    { code: 'UNKNOWN_REFERENCE', line: 32, column: 24 },
    { code: 'UNKNOWN_REFERENCE', line: 56, column: 24 },
    { code: 'UNKNOWN_REFERENCE', line: 77, column: 24 },
    { code: 'UNKNOWN_REFERENCE', line: 102, column: 24 },
    { code: 'UNKNOWN_REFERENCE', line: 127, column: 24 },
    { code: 'INVALID_VALUE', line: 132, column: 19 },
    { code: 'UNKNOWN_REFERENCE', line: 152, column: 24 },
    { code: 'UNKNOWN_REFERENCE', line: 176, column: 24 },
    { code: 'UNKNOWN_REFERENCE', line: 201, column: 24 },
  ],
  // opcuaEndpointExample writes its connection as a URL; an endpoint's connection is a !ref to a Cybus::Connection.
  'gallery/02_data-processing/06_cov/service.scf.yaml': [{ code: 'EXPECTED_REFERENCE', line: 177, column: 19 }],
  // In multiLevelEnvironmentalMonitoring a function body is written { a := …; {…} }: JSONata blocks use
  // parentheses, so `;` inside braces is a syntax error.
  'gallery/02_data-processing/07_collect/service.scf.yaml': [{ code: 'JSONATA_SYNTAX', line: 162, column: 103 }],
  // The mapping subscribes to !ref sensorEndpoint, which the file never declares.
  'gallery/02_data-processing/complete_rule_chain_example.scf.yaml': [{ code: 'UNKNOWN_REFERENCE', line: 12, column: 26 }],
};

const files = [...walk(join(examples, 'seed')), ...walk(join(examples, 'gallery'))].map((f) => relative(examples, f));

describe('reference files (seed and gallery)', () => {
  it('finds every file and names only files that exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const name of [...Object.keys(wrong), ...Object.keys(parameters)]) expect(files).toContain(name);
  });

  it.each(files)('%s', (name) => {
    const text = readFileSync(join(examples, name), 'utf8');
    const result = validateCommissioning(text, { fileName: name, registry, parameters: parameters[name] ?? {} });
    const issues = result.issues.map((i) => ({ code: i.code, line: i.line, column: i.column }));
    expect(issues).toEqual(wrong[name] ?? []);
    expect(result.definition === undefined).toBe(name in wrong);
  });
});

describe('the seed file for AWS IoT Core', () => {
  const text = readFileSync(join(examples, 'seed/aws-iot-core.yaml'), 'utf8');
  const service = parseCommissioning(text, { fileName: 'aws-iot-core.yaml' });

  it('derives the service id from metadata.name and substitutes the MQTT root', () => {
    expect(service.serviceId).toBe('awsiotcoretest');
    const mapping = service.resources.find((r) => r.id === 'sourceTargetMapping')!;
    if (!isResourceType(mapping, 'Cybus::Mapping')) throw new Error('not a mapping');
    expect(mapping.properties.mappings[0]!.subscribe[0]!.topic).toBe('services/awsiotcoretest/test/#topic');
    expect(mapping.properties.mappings[0]!.publish.connection).toEqual({ kind: 'resource', id: 'awsMqttConnection', type: 'Cybus::Connection' });
  });

  it('orders the connection before the mapping that publishes through it', () => {
    expect(service.resources.map((r) => r.id)).toEqual(['awsMqttConnection', 'sourceTargetMapping']);
    expect(service.resources[1]!.dependsOn).toEqual(['awsMqttConnection']);
  });

  it('resolves definitions and parameters into typed connection options with defaults', () => {
    const connection = service.resources[0]!;
    if (!isResourceType(connection, 'Cybus::Connection')) throw new Error('not a connection');
    expect(connection.properties.connection).toMatchObject({
      host: '<your-aws-account-endpoint-id>-ats.iot.eu-central-1.amazonaws.com',
      port: 8883,
      clientId: 'awsiotcoretest-awsMqttConnection',
      clientPrivateKey: expect.stringContaining('BEGIN RSA PRIVATE KEY'),
      connectionStrategy: { initialDelay: 1000, maxDelay: 30000, incrementFactor: 2 },
    });
    expect(connection.properties.targetState).toBe('connected');
    expect(service.parameters.Aws_IoT_Endpoint_Address?.source).toBe('default');
  });
});

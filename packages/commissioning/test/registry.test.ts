import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCommissioningJsonSchema, createSchemaRegistry, parseCommissioning, validateCommissioning } from '../src/index.js';
import { referencePath } from '@iiot/test-support';

const head = 'metadata:\n  name: Registry\nresources:\n';
const modbus = `${head}  plc:
    type: Cybus::Connection
    properties:
      protocol: Modbus
      connection:
        host: 10.0.0.5
  counter:
    type: Cybus::Endpoint
    properties:
      protocol: Modbus
      connection: !ref plc
      subscribe:
        fc: 3
        address: 100
`;
const modbusProtocol = {
  name: 'Modbus',
  connection: { type: 'object', additionalProperties: false, required: ['host'], properties: { host: { type: 'string' }, port: { type: 'integer', default: 502 } } },
  address: { type: 'object', additionalProperties: false, required: ['fc', 'address'], properties: { fc: { enum: [1, 2, 3, 4] }, address: { type: 'integer' } } },
};
const twin = {
  type: 'Twin::Asset',
  properties: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: { name: { type: 'string' }, source: { reference: { to: 'Cybus::Endpoint' } } },
  },
};

describe('schema registry', () => {
  it('accepts a protocol a connector registers, and fills its defaults', () => {
    const registry = createSchemaRegistry().registerProtocol(modbusProtocol);
    const service = parseCommissioning(modbus, { registry });
    expect(service.resources[0]!.properties).toMatchObject({ connection: { host: '10.0.0.5', port: 502 } });
    expect(validateCommissioning(modbus.replace('fc: 3', 'fc: 5'), { registry }).issues.map((i) => i.code)).toEqual(['INVALID_VALUE']);
  });

  it('names the registered protocols when a file uses another', () => {
    const [issue] = validateCommissioning(modbus).issues;
    expect(issue).toMatchObject({ code: 'UNKNOWN_PROTOCOL', line: 7, column: 17 });
    expect(issue?.message).toContain('registered protocols: Mqtt, Opcua');
  });

  it('accepts a resource type of another package, with typed references into the file', () => {
    const registry = createSchemaRegistry().registerProtocol(modbusProtocol).registerResourceType(twin);
    const text = `${modbus}  pump:\n    type: Twin::Asset\n    properties:\n      name: Pump 1\n      source: !ref counter\n`;
    const pump = parseCommissioning(text, { registry }).resources.find((r) => r.id === 'pump')!;
    expect(pump.properties).toEqual({ name: 'Pump 1', source: { kind: 'resource', id: 'counter', type: 'Cybus::Endpoint' } });
    expect(pump.dependsOn).toEqual(['counter']);
    const wrong = validateCommissioning(text.replace('source: !ref counter', 'source: !ref plc'), { registry }).issues;
    expect(wrong.map((i) => i.code)).toEqual(['WRONG_REFERENCE_KIND']);
  });

  it('refuses a second registration of a name and a schema that is not JSON Schema', () => {
    const registry = createSchemaRegistry();
    expect(() => registry.registerProtocol({ ...modbusProtocol, name: 'Mqtt' })).toThrow(expect.objectContaining({ code: 'SCHEMA_ALREADY_REGISTERED' }));
    expect(() => registry.registerResourceType({ type: 'X::Y', properties: { type: 'nonsense' } })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_INVALID' }),
    );
  });

  it('can start empty', () => {
    const registry = createSchemaRegistry({ builtins: false });
    expect(registry.protocolNames()).toEqual([]);
    const text = `${head}  r:\n    type: Cybus::Role\n    properties:\n      permissions: []\n`;
    expect(validateCommissioning(text, { registry }).issues.map((i) => i.code)).toEqual(['UNKNOWN_RESOURCE_TYPE']);
  });
});

describe('JSON Schema for editors', () => {
  const tags = ['!ref', '!sub'].map((tag) => ({ tag, resolve: (s: string) => s }));
  const seed = referencePath('examples/seed/aws-iot-core.yaml');
  const asJson = (text: string) => parse(text, { customTags: tags });

  it('is generated from the registry and accepts the seed file as an editor sees it', () => {
    const validate = new Ajv({ strict: false }).compile(createCommissioningJsonSchema());
    expect(validate(asJson(readFileSync(seed, 'utf8')))).toBe(true);
  });

  it('flags a typo the way the validator does, and knows registered protocols', () => {
    const validate = new Ajv({ strict: false }).compile(createCommissioningJsonSchema());
    const typo = readFileSync(seed, 'utf8').replace('port: 8883', 'prot: 8883');
    expect(validate(asJson(typo))).toBe(false);
    const registry = createSchemaRegistry().registerProtocol(modbusProtocol);
    const withModbus = new Ajv({ strict: false }).compile(createCommissioningJsonSchema(registry));
    expect(withModbus(asJson(modbus))).toBe(true);
    expect(withModbus(asJson(modbus.replace('fc: 3', 'fc: 9')))).toBe(false);
  });
});

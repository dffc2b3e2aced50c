import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CommissioningError,
  type ResourceDefinition,
  isResourceType,
  loadCommissioningFile,
  parseCommissioning,
  validateCommissioning,
} from '../src/index.js';

const file = (body: string) => `metadata:\n  name: Line 4 Gateway\n${body}`;
const codes = (text: string, options = {}) => validateCommissioning(text, options).issues.map((i) => i.code);

function resource<T extends 'Cybus::Connection' | 'Cybus::Endpoint' | 'Cybus::Mapping'>(
  resources: readonly ResourceDefinition[],
  id: string,
  type: T,
): ResourceDefinition<T> {
  const r = resources.find((x) => x.id === id);
  if (!r || !isResourceType(r, type)) throw new Error(`${id} is not a ${type}`);
  return r;
}

const broker = `
  broker:
    type: Cybus::Connection
    properties:
      protocol: Mqtt
      connection:
        host: !ref brokerHost
        port: !ref brokerPort
        clean: !ref cleanSession
`;
const withParameters = file(`parameters:
  brokerHost:
    type: string
    default: localhost
  brokerPort:
    type: integer
    minimum: 1
    default: 1883
  cleanSession:
    type: boolean
    default: true
resources:${broker}`);

describe('parameters', () => {
  it('keeps the declared type of a value taken by !ref', () => {
    const service = parseCommissioning(withParameters);
    expect(resource(service.resources, 'broker', 'Cybus::Connection').properties.connection).toMatchObject({
      host: 'localhost',
      port: 1883,
      clean: true,
    });
    expect(service.parameters.brokerPort).toEqual({ spec: { type: 'integer', minimum: 1, default: 1883 }, value: 1883, source: 'default' });
  });

  it('converts text from a command line to the declared type', () => {
    const service = parseCommissioning(withParameters, { parameters: { brokerPort: '8883', cleanSession: 'false' } });
    expect(resource(service.resources, 'broker', 'Cybus::Connection').properties.connection).toMatchObject({ port: 8883, clean: false });
    expect(service.parameters.brokerPort?.source).toBe('given');
  });

  it('converts JSON text for array and object parameters', () => {
    const text = file('parameters:\n  lines:\n    type: array\n  site:\n    type: object\nresources: {}\n');
    const service = parseCommissioning(text, { parameters: { lines: '["a","b"]', site: '{"name":"berlin"}' } });
    expect(service.parameters.lines?.value).toEqual(['a', 'b']);
    expect(service.parameters.site?.value).toEqual({ name: 'berlin' });
  });

  it('rejects a given value that is not of the declared type, naming the parameter', () => {
    const [issue] = validateCommissioning(withParameters, { parameters: { brokerPort: 'eighty' } }).issues;
    expect(issue).toMatchObject({ code: 'PARAMETER_INVALID', line: 7, column: 3, path: 'parameters.brokerPort' });
    expect(issue?.message).toContain('brokerPort');
  });

  it('reports a value given for an undeclared parameter with a hint', () => {
    const [issue] = validateCommissioning(withParameters, { parameters: { brokerHots: 'x' } }).issues;
    expect(issue).toMatchObject({ code: 'PARAMETER_UNKNOWN', hint: 'did you mean brokerHost?' });
  });

  it('applies minimum, maximum, length and enum to given values', () => {
    const text = file(`parameters:
  level:
    type: number
    minimum: 0
    maximum: 10
  code:
    type: string
    minLength: 2
    maxLength: 3
  mode:
    type: string
    enum: [fast, slow]
resources: {}
`);
    expect(codes(text, { parameters: { level: 11, code: 'abcd', mode: 'medium' } })).toEqual(['PARAMETER_INVALID', 'PARAMETER_INVALID', 'PARAMETER_INVALID']);
    expect(codes(text, { parameters: { level: '2.5', code: 'ab', mode: 'slow' } })).toEqual([]);
  });
});

describe('service id and pseudo parameters', () => {
  const text = file(`resources:
  bridge:
    type: Cybus::Mapping
    properties:
      mappings:
        - subscribe:
            topic: !sub '\${Cybus::MqttRoot}/in/#rest'
          publish:
            topic: !sub 'gateways/\${Cybus::ServiceId}/\${Cybus::MqttHost}/\${Cybus::MqttPort}/\${Cybus::MqttUser}/$rest'
`);

  it('derives the id from metadata.name: lower case, only a-z and 0-9', () => {
    const service = parseCommissioning(text);
    expect(service.serviceId).toBe('line4gateway');
    const entry = resource(service.resources, 'bridge', 'Cybus::Mapping').properties.mappings[0]!;
    expect(entry.subscribe[0]!.topic).toBe('services/line4gateway/in/#rest');
    expect(entry.publish.topic).toBe('gateways/line4gateway/localhost/1883/line4gateway/$rest');
  });

  it('uses the id and broker given at install', () => {
    const service = parseCommissioning(text, { serviceId: 'plant7', broker: { host: 'edge', port: 1884, user: 'svc' } });
    const entry = resource(service.resources, 'bridge', 'Cybus::Mapping').properties.mappings[0]!;
    expect(entry.subscribe[0]!.topic).toBe('services/plant7/in/#rest');
    expect(entry.publish.topic).toBe('gateways/plant7/edge/1884/svc/$rest');
  });

  it('rejects a given service id that cannot be a topic level', () => {
    expect(codes(text, { serviceId: 'plant/7' })).toEqual(['SERVICE_ID_INVALID']);
  });
});

describe('definitions and references', () => {
  const text = file(`definitions:
  site:
    area: hall-2
    lines: [1, 2]
  prefix: !sub 'plant/\${region}'
parameters:
  region:
    type: string
    default: eu
resources:
  ingest:
    type: Cybus::Mapping
    properties:
      mappings:
        - subscribe:
            endpoint: !ref temperature
          publish:
            topic: !sub '\${prefix}/temperature'
            connection: !ref cloud::uplink
  temperature:
    type: Cybus::Endpoint
    properties:
      protocol: Mqtt
      connection: !ref broker
      subscribe:
        topic: sensors/temperature
  broker:
    type: Cybus::Connection
    properties:
      protocol: Mqtt
      connection:
        host: localhost
        will:
          topic: !sub '\${prefix}/offline'
  twin:
    type: Cybus::Link
    properties:
      site: !ref site
`);
  const service = parseCommissioning(text);

  it('returns resources dependencies first, keeping file order otherwise', () => {
    expect(service.resources.map((r) => r.id)).toEqual(['broker', 'temperature', 'ingest', 'twin']);
    expect(resource(service.resources, 'ingest', 'Cybus::Mapping').dependsOn).toEqual(['temperature']);
  });

  it('makes references typed objects, and keeps references to other services for the runtime', () => {
    const ingest = resource(service.resources, 'ingest', 'Cybus::Mapping');
    const entry = ingest.properties.mappings[0]!;
    expect(entry.subscribe).toEqual([{ endpoint: { kind: 'resource', id: 'temperature', type: 'Cybus::Endpoint' } }]);
    expect(entry.publish.connection).toEqual({ kind: 'external', service: 'cloud', id: 'uplink' });
    expect(ingest.externalReferences).toEqual([{ kind: 'external', service: 'cloud', id: 'uplink' }]);
    expect(entry.rules).toEqual([]);
  });

  it('substitutes definitions that themselves use parameters, and keeps structured definitions whole', () => {
    expect(resource(service.resources, 'ingest', 'Cybus::Mapping').properties.mappings[0]!.publish.topic).toBe('plant/eu/temperature');
    expect(service.resources.find((r) => r.id === 'twin')?.properties).toEqual({ site: { area: 'hall-2', lines: [1, 2] } });
  });

  it('gives an endpoint its id as topic when none is written', () => {
    expect(resource(service.resources, 'temperature', 'Cybus::Endpoint').properties.topic).toBe('temperature');
  });

  it('treats a !ref to its own service id as a local reference', () => {
    const own = text.replace('!ref temperature', '!ref line4gateway::temperature');
    const ingest = resource(parseCommissioning(own).resources, 'ingest', 'Cybus::Mapping');
    expect(ingest.properties.mappings[0]!.subscribe[0]!.endpoint).toEqual({ kind: 'resource', id: 'temperature', type: 'Cybus::Endpoint' });
  });

  it('reports all problems of a file at once', () => {
    const broken = text.replace('!ref broker', '!ref brokr').replace('sensors/temperature', 'sensors/+/temp+').replace('area: hall-2', 'area: !env AREA');
    expect(codes(broken)).toEqual(['UNKNOWN_TAG', 'UNKNOWN_REFERENCE', 'TOPIC_FILTER_INVALID']);
  });
});

describe('protocol options and extensions', () => {
  it('fills OPC UA and buffering defaults and keeps the interval written by older files', () => {
    const service = parseCommissioning(
      file(`resources:
  plc:
    type: Cybus::Connection
    properties:
      protocol: Opcua
      connection:
        host: plc.local
        options:
          securityMode: SignAndEncrypt
          securityPolicy: Basic256Sha256
      buffering:
        store: memory
  temperature:
    type: Cybus::Endpoint
    properties:
      protocol: Opcua
      connection: !ref plc
      subscribe:
        nodeId: ns=2;s=Temperature
        interval: 2000
`),
    );
    const plc = resource(service.resources, 'plc', 'Cybus::Connection');
    expect(plc.properties.connection).toMatchObject({ port: 4840 });
    expect(plc.properties.buffering).toEqual({ store: 'memory', maxMessages: 100000, maxBytes: 104857600, onOverflow: 'drop-oldest' });
    const endpoint = resource(service.resources, 'temperature', 'Cybus::Endpoint');
    expect(endpoint.properties.subscribe).toEqual({ nodeId: 'ns=2;s=Temperature', interval: 2000, publishInterval: 1000 });
  });

  it('lets setContextVars name what the publish topic uses', () => {
    const text = file(`resources:
  route:
    type: Cybus::Mapping
    properties:
      mappings:
        - subscribe:
            topic: factory/+line/events
          publish:
            topic: out/{line}/{tenant}/$kind
          rules:
            - setContextVars:
                vars:
                  tenant: $.org
                  kind: $.type
`);
    expect(codes(text)).toEqual([]);
    expect(codes(text.replace('kind: $.type', 'sort: $.type'))).toEqual(['PUBLISH_NAME_NOT_CAPTURED']);
  });
});

describe('secrets', () => {
  const text = file(`definitions:
  creds: zebra-horse-battery-42
  clientPrivateKey: |
    -----BEGIN RSA PRIVATE KEY-----
    MIIEsecretsecretsecret
    -----END RSA PRIVATE KEY-----
parameters:
  adminPassword:
    type: string
    default: hunter2-super
resources:
  broker:
    type: Cybus::Connection
    properties:
      protocol: Mqtt
      connection:
        host: localhost
        password: !ref creds
        keepalive: !ref creds
        scheme: !ref adminPassword
        port: !ref clientPrivateKey
        clientId: !sub 'x-\${adminPassword}'
        protocolVersion: !sub '\${creds}'
`);

  it('never puts a password, private key or a definition used as one into a message', () => {
    const { issues } = validateCommissioning(text, { broker: { password: 'broker-secret-1' } });
    expect(issues.map((i) => i.code)).toEqual(['INVALID_VALUE', 'INVALID_VALUE', 'INVALID_VALUE', 'INVALID_VALUE']);
    const all = JSON.stringify(issues);
    for (const secret of ['zebra-horse-battery-42', 'hunter2-super', 'MIIEsecret', 'broker-secret-1']) expect(all).not.toContain(secret);
    expect(all).toContain('[REDACTED]');
  });
});

describe('reading files and protocol rules', () => {
  it('loads a file by path and names it in issues', async () => {
    const path = fileURLToPath(new URL('./fixtures/invalid/unknown-tag.yaml', import.meta.url));
    const error = await loadCommissioningFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommissioningError);
    expect((error as CommissioningError).issues[0]?.file).toBe(path);
    await expect(loadCommissioningFile(`${path}.missing`)).rejects.toMatchObject({ code: 'COMMISSIONING_FILE_UNREADABLE' });
  });

  it('needs nodeId or browsePath in an OPC UA address', () => {
    const text = file(`resources:
  plc:
    type: Cybus::Connection
    properties:
      protocol: Opcua
      connection:
        host: plc.local
  temperature:
    type: Cybus::Endpoint
    properties:
      protocol: Opcua
      connection: !ref plc
      read:
        samplingInterval: 100
`);
    const { issues } = validateCommissioning(text);
    expect(issues.map((i) => [i.code, i.line, i.column, i.message])).toEqual([['MISSING_PROPERTY', 16, 9, 'read needs one of nodeId, browsePath.']]);
    expect(codes(text.replace('samplingInterval: 100', 'browsePath: 0:Objects/2:Temperature'))).toEqual([]);
  });
});

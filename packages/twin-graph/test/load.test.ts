import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  createTwinGraph,
  loadTwinGraph,
  parseTwinGraphYaml,
  TWIN_GRAPH_RESOURCE_TYPE,
  TwinConfigError,
  type TwinGraphDefinition,
  twinResourceSchemas,
} from '../src/index.js';
import { ENDPOINTS, STATION_YAML } from './fixtures/station.js';

function problems(definition: unknown) {
  try {
    createTwinGraph({ definition: definition as TwinGraphDefinition });
  } catch (error) {
    expect(error).toBeInstanceOf(TwinConfigError);
    return (error as TwinConfigError).problems;
  }
  throw new Error('the definition loaded');
}

const source = (topic: string) => ({ source: { topic } });
const derive = (expression: string, inputs: Record<string, string>) => ({ derive: { expression, inputs } });

describe('load-time checks', () => {
  it('rejects a composition cycle, with the cycle in the error', () => {
    const found = problems({ twins: { root: {}, a: { owner: 'b/x' }, b: { owner: 'a' }, c: { owner: 'nowhere' } } });
    expect(found).toContainEqual(expect.objectContaining({ code: 'TWIN_CYCLE', message: expect.stringMatching(/composition cycle: (a → b → a|b → a → b)/) }));
    expect(found).toContainEqual(expect.objectContaining({ code: 'TWIN_REFERENCE_UNKNOWN', at: 'c' }));
  });

  it('attaches top-level twins to their owner path', () => {
    const graph = createTwinGraph({ definition: { twins: { pump: { owner: 'plant/line', properties: { s: source('s') } }, plant: { twins: { line: {} } } } } });
    expect(graph.read('plant/line/pump/s')).toMatchObject({ path: 'plant/line/pump/s', quality: 'Bad_WaitingForInitialData' });
  });

  it('rejects a derivation cycle, with the cycle’s path', () => {
    const found = problems({ twins: { t: { properties: { a: derive('x', { x: 'c' }), b: derive('x', { x: 'a' }), c: derive('x + y', { x: 'b', y: 's' }), s: source('s') } } } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'TWIN_CYCLE' });
    expect(found[0]!.message).toMatch(/derivation cycle: (t\/a → t\/b → t\/c → t\/a|t\/b → t\/c → t\/a → t\/b|t\/c → t\/a → t\/b → t\/c)/);
  });

  it('rejects a setpoint fan-out cycle', () => {
    const found = problems({ twins: { t: { properties: { a: { setpoint: { targets: ['b'] } }, b: { setpoint: { targets: ['a'], topic: 'x' } } } } } });
    expect(found[0]).toMatchObject({ code: 'TWIN_CYCLE', message: expect.stringContaining('fan-out cycle') });
  });

  it('reports every problem at once, each saying where and what to do', () => {
    const found = problems({
      twins: {
        t: {
          extra: 1,
          properties: {
            a: { source: { topic: 'a/b+/c' } },
            b: derive('x', { x: 'nope' }),
            c: { ...source('c'), ...derive('1', {}) },
            d: derive('/on/ ?: x', { x: 'c' }),
            e: { aggregate: { op: 'median', of: 'x', percentGood: 0 } },
            f: { setpoint: { topic: 'a/#' } },
          },
        },
      },
      policy: { p: { subjects: ['role:x'], resources: { 't/zzz': { grant: ['READ', 'FLY'] } } } },
    });
    const at = found.map((p) => p.at);
    expect(at).toEqual(expect.arrayContaining(['t', 't/a.source.topic', 't/b.derive.inputs.x', 't/c', 't/d.derive.expression', 't/e.aggregate', 't/f.setpoint.topic', 'policy.p.resources']));
    expect(found.find((p) => p.at === 't/b.derive.inputs.x')!.message).toContain('properties here: a, b, c, d, e, f');
    expect(found.find((p) => p.at === 't/d.derive.expression')).toMatchObject({ code: 'TWIN_EXPRESSION_INVALID' });
  });
});

describe('YAML and the commissioning file', () => {
  it('loads the Iiot::TwinGraph resource of a commissioning file next to Cybus resources', () => {
    const definition = parseTwinGraphYaml(STATION_YAML);
    expect(Object.keys(definition.twins)).toEqual(['plant1']);
    expect(definition.twins.plant1!.twins!.line2!.twins!.pump3!.properties!.speed!.source!.connection).toBe('plc');
    expect(Object.keys(definition.policy!)).toContain('station.operators');
  });

  it('merges Iiot::Twin resources under their owner and resolves !ref and !sub', () => {
    const text = `
parameters:
  root: { type: string, default: services/demo }
resources:
  conn:
    type: Cybus::Connection
    properties: { protocol: Mqtt, connection: { host: localhost } }
  plant:
    type: ${TWIN_GRAPH_RESOURCE_TYPE}
    properties:
      twins: { site: { twins: { line: {} } } }
  pump7:
    type: Iiot::Twin
    properties:
      owner: site/line
      properties:
        speed: { source: { topic: !sub '\${root}/pump7/speed', connection: !ref conn } }
`;
    const graph = loadTwinGraph(text);
    graph.ingest({ topic: 'services/demo/pump7/speed', payload: 5, timestamp: 1 });
    expect(graph.read('site/line/pump7/speed')).toMatchObject({ value: 5, quality: 'Good' });
    expect(graph.impact([{ connection: 'conn' }]).properties).toEqual(['site/line/pump7/speed']);
  });

  it('gives YAML errors with file, line and column, and unknown !sub names', () => {
    expect(() => parseTwinGraphYaml('twins:\n  a: [1, 2\n', { file: 'plant.yaml' })).toThrow(/plant\.yaml:\d+:\d+/);
    const unknownName = "twins: { a: { properties: { s: { source: { topic: !sub '$" + "{nope}/x' } } } } }";
    expect(() => parseTwinGraphYaml(unknownName)).toThrow(/\$\{nope\}/);
  });

  it('resolves endpoint sources through the endpoints the runtime passes in', () => {
    expect(() => loadTwinGraph(STATION_YAML)).toThrow(/endpoint "flowEndpoint" is not known/);
    const graph = loadTwinGraph(STATION_YAML, { endpoints: ENDPOINTS });
    graph.ingest({ topic: ENDPOINTS.flowEndpoint.topic, payload: { timestamp: 5, value: 30 }, timestamp: 6 });
    expect(graph.read('plant1/line2/flow')).toMatchObject({ value: 30, timestamp: 5 });
    expect(graph.impact([{ connection: 'plc' }]).properties).toContain('plant1/line2/flow');
  });

  it('loads the README example', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const graph = loadTwinGraph(example, { endpoints: ENDPOINTS });
    graph.ingest([
      { topic: 'sensors/gw7/pump3/t2', payload: { celsius: 41 }, timestamp: 1 },
      { topic: 'sensors/gw7/pump3/t3', payload: { celsius: 43 }, timestamp: 1 },
    ]);
    expect(graph.read('plant1/line2/pump3/bearingTemperature')).toMatchObject({ quality: 'Good', value: 42 });
    expect(graph.can({ roles: ['contractor'] }, 'plant1/line2/pump3/current', 'READ')).toBe(false);
  });

  it('exports JSON Schemas that accept the example resource and reject broken ones', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(twinResourceSchemas[TWIN_GRAPH_RESOURCE_TYPE]);
    const file = parse(STATION_YAML, { customTags: [{ tag: '!ref', resolve: (s: string) => s }] });
    expect(validate(file.resources.station.properties)).toBe(true);
    const broken = structuredClone(file.resources.station.properties);
    broken.twins.plant1.twins.line2.properties.power = { aggregate: { op: 'median', of: 'power' }, derive: { expression: '1', inputs: {} } };
    expect(validate(broken)).toBe(false);
    const twin = ajv.compile(twinResourceSchemas['Iiot::Twin']);
    expect(twin({ owner: 'site/line', properties: { s: { source: { topic: 'x', maxAge: 10 } } } })).toBe(true);
    expect(twin({ properties: { s: { source: {} } } })).toBe(false);
  });
});

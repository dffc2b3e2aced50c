import { describe, expect, it } from 'vitest';
import { diffServices, parseCommissioning } from '../src/index.js';

const text = `metadata:
  name: Diff
parameters:
  host:
    type: string
    default: localhost
resources:
  broker:
    type: Cybus::Connection
    properties:
      protocol: Mqtt
      connection:
        host: !ref host
  cloud:
    type: Cybus::Connection
    properties:
      protocol: Mqtt
      connection:
        host: cloud.example.com
  temperature:
    type: Cybus::Endpoint
    properties:
      protocol: Mqtt
      connection: !ref broker
      subscribe:
        topic: sensors/temperature
  forward:
    type: Cybus::Mapping
    properties:
      mappings:
        - subscribe:
            endpoint: !ref temperature
          publish:
            connection: !ref cloud
            topic: plant/temperature
  audit:
    type: Cybus::Mapping
    properties:
      mappings:
        - subscribe:
            topic: audit/#
          publish:
            connection: !ref cloud
            topic: audit
`;

describe('diffServices', () => {
  const before = parseCommissioning(text);

  it('finds nothing to do between two parses of the same file, whatever the layout', () => {
    const reformatted = parseCommissioning(`# a comment moves every line\n${text.replace('host: cloud.example.com', 'host: "cloud.example.com"')}`);
    expect(diffServices(before, reformatted)).toEqual({
      added: [],
      removed: [],
      changed: [],
      affected: [],
      unchanged: ['broker', 'cloud', 'temperature', 'forward', 'audit'],
    });
  });

  it('restarts a changed connection and what depends on it, and nothing else', () => {
    const after = parseCommissioning(text, { parameters: { host: 'broker.local' } });
    expect(diffServices(before, after)).toEqual({
      added: [],
      removed: [],
      changed: ['broker'],
      affected: ['temperature', 'forward'],
      unchanged: ['cloud', 'audit'],
    });
  });

  it('reports added and removed resources', () => {
    const after = parseCommissioning(
      text.replace(/ {2}audit:[\s\S]*$/, '  operators:\n    type: Cybus::Role\n    properties:\n      permissions:\n        - resource: plant/#\n          operation: read\n'),
    );
    const diff = diffServices(before, after);
    expect(diff.added).toEqual(['operators']);
    expect(diff.removed).toEqual(['audit']);
    expect(diff.changed).toEqual([]);
  });

  it('sees a change of a rule inside a mapping', () => {
    const after = parseCommissioning(text.replace('            topic: audit\n', '            topic: audit\n          rules:\n            - filter:\n                expression: $.level = "ERROR"\n'));
    expect(diffServices(before, after).changed).toEqual(['audit']);
  });
});

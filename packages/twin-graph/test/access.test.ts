import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Caller, createTwinGraph, type Permission, type PolicyEntryDefinition, type PropertyReading, TwinAccessError } from '../src/index.js';
import { loadStation } from './fixtures/station.js';

const twins = {
  plant: {
    twins: {
      line: {
        twins: {
          pump: {
            properties: {
              speed: { source: { topic: 'speed' } },
              current: { source: { topic: 'current' } },
              setpoint: { setpoint: { topic: 'set' } },
            },
          },
        },
      },
    },
  },
};
const PATHS = ['plant', 'plant/line', 'plant/line/pump', 'plant/line/pump/speed', 'plant/line/pump/current', 'plant/line/pump/setpoint'];

type Case = [name: string, policy: Record<string, PolicyEntryDefinition>, caller: Caller, expected: Array<[path: string, permission: Permission, allowed: boolean]>];

const CASES: Case[] = [
  [
    'root grant + leaf revoke',
    { a: { subjects: ['role:op'], resources: { '/': { grant: ['READ'] }, 'plant/line/pump/current': { revoke: ['READ'] } } } },
    { roles: ['op'] },
    [['plant/line/pump/speed', 'READ', true], ['plant/line/pump/current', 'READ', false], ['plant/line/pump', 'READ', true]],
  ],
  [
    'revoke + deeper grant: the most specific path wins',
    { a: { subjects: ['role:op'], resources: { plant: { grant: ['READ'] }, 'plant/line': { revoke: ['READ'] }, 'plant/line/pump/speed': { grant: ['READ'] } } } },
    { roles: ['op'] },
    [['plant', 'READ', true], ['plant/line', 'READ', false], ['plant/line/pump/current', 'READ', false], ['plant/line/pump/speed', 'READ', true]],
  ],
  [
    'same-level tie: revoke beats grant',
    { a: { subjects: ['role:op'], resources: { 'plant/line': { grant: ['READ', 'WRITE'], revoke: ['WRITE'] } } } },
    { roles: ['op'] },
    [['plant/line/pump/setpoint', 'READ', true], ['plant/line/pump/setpoint', 'WRITE', false]],
  ],
  [
    'multi-role merge: entries of all roles are merged before deciding',
    {
      a: { subjects: ['role:reader'], resources: { plant: { grant: ['READ'] }, 'plant/line/pump': { grant: ['READ'] } } },
      b: { subjects: ['role:auditor'], resources: { 'plant/line/pump': { revoke: ['READ'] } } },
    },
    { roles: ['reader', 'auditor'] },
    [['plant/line', 'READ', true], ['plant/line/pump', 'READ', false], ['plant/line/pump/speed', 'READ', false]],
  ],
  [
    'multi-role merge: a deeper grant of one role beats a higher revoke of another',
    {
      a: { subjects: ['role:guest'], resources: { '/': { revoke: ['READ'] } } },
      b: { subjects: ['user:ann'], resources: { 'plant/line': { grant: ['READ'] } } },
    },
    { user: 'ann', roles: ['guest'] },
    [['plant', 'READ', false], ['plant/line/pump/speed', 'READ', true]],
  ],
  [
    'WRITE without READ',
    { a: { subjects: ['user:scheduler'], resources: { 'plant/line/pump/setpoint': { grant: ['WRITE'] } } } },
    { user: 'scheduler' },
    [['plant/line/pump/setpoint', 'WRITE', true], ['plant/line/pump/setpoint', 'READ', false]],
  ],
  [
    'READ without WRITE, and nothing for unknown subjects',
    { a: { subjects: ['role:op'], resources: { '/': { grant: ['READ'] } } } },
    { roles: ['op'] },
    [['plant/line/pump/setpoint', 'READ', true], ['plant/line/pump/setpoint', 'WRITE', false]],
  ],
  ['no entry: denied', {}, { user: 'nobody' }, [['plant', 'READ', false], ['plant/line/pump/setpoint', 'WRITE', false]]],
];

describe('access control (Ditto semantics on the twin path)', () => {
  for (const memoiseAccess of [true, false]) {
    it.each(CASES)(`%s (memoised: ${memoiseAccess})`, (_name, policy, caller, expected) => {
      const graph = createTwinGraph({ definition: { twins, policy }, memoiseAccess });
      for (const [path, permission, allowed] of expected) expect([path, permission, graph.can(caller, path, permission)]).toEqual([path, permission, allowed]);
    });
  }

  it('memoised and unmemoised decisions equal a direct reading of the rules, for random policies', () => {
    const subjects = ['role:a', 'role:b', 'user:u'];
    const rule = fc.record({
      subject: fc.constantFrom(...subjects),
      path: fc.constantFrom('/', ...PATHS),
      grant: fc.subarray<Permission>(['READ', 'WRITE']),
      revoke: fc.subarray<Permission>(['READ', 'WRITE']),
    });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 8 }), fc.subarray(['a', 'b']), fc.boolean(), (rules, roles, withUser) => {
        const policy = Object.fromEntries(rules.map((r, i) => [`e${i}`, { subjects: [r.subject], resources: { [r.path]: { grant: r.grant, revoke: r.revoke } } }]));
        const caller: Caller = { roles, ...(withUser ? { user: 'u' } : {}) };
        const mine = new Set([...roles.map((r) => `role:${r}`), ...(withUser ? ['user:u'] : [])]);
        const memo = createTwinGraph({ definition: { twins, policy } });
        const plain = createTwinGraph({ definition: { twins, policy }, memoiseAccess: false });
        for (const path of PATHS) {
          for (const p of ['READ', 'WRITE'] as const) {
            // Reference: the deepest prefix of `path` where the caller's merged rules mention p decides; revoke first.
            const prefixes = ['/', ...PATHS.filter((x) => path === x || path.startsWith(`${x}/`))].sort((x, y) => y.length - x.length);
            let want = false;
            for (const prefix of prefixes) {
              const here = rules.filter((r) => mine.has(r.subject) && r.path === prefix);
              if (here.some((r) => r.revoke.includes(p))) break;
              if (here.some((r) => r.grant.includes(p))) {
                want = true;
                break;
              }
            }
            expect(memo.can(caller, path, p)).toBe(want);
            expect(plain.can(caller, path, p)).toBe(want);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('reads, subscriptions, impact and explanations are filtered by READ', () => {
  const contractor = { roles: ['contractor'] };

  it('a twin read shows only the readable properties; an unreadable property looks like a missing one', () => {
    const graph = loadStation();
    const pump = graph.read('plant1/line2/pump3', { as: contractor }) as { properties: Record<string, unknown>; uses: string[] };
    expect(Object.keys(pump.properties).sort()).toEqual(['bearingTemperature', 'power', 'speed', 'speedSetpoint']);
    expect(pump.uses).toEqual([]);
    expect(() => graph.read('plant1/line2/pump3/current', { as: contractor })).toThrow(expect.objectContaining({ code: 'TWIN_NOT_FOUND' }));
    expect(() => graph.read('plant1/line2/nope', { as: contractor })).toThrow(expect.objectContaining({ code: 'TWIN_NOT_FOUND' }));
    expect(() => graph.read('plant1/line2/power', { as: contractor })).toThrow(TwinAccessError);
    graph.close();
  });

  it('hidden causes are counted, not shown, in reads and explanations', () => {
    const graph = loadStation();
    graph.ingest({ topic: 'plant1/line2/pump3/current', payload: { value: 1, quality: 'Bad_SensorFailure' }, timestamp: 1 });
    const power = graph.read('plant1/line2/pump3/power', { as: contractor }) as PropertyReading;
    expect(power).toMatchObject({ quality: 'Bad_SensorFailure', causes: [], hiddenCauses: 1 });
    expect(graph.explain('plant1/line2/pump3/power', { as: contractor })).toMatchObject({ causes: [], hiddenCauses: 1 });
    expect(graph.explain('plant1/line2/pump3/power', { as: { roles: ['operator'] } })).toMatchObject({ causes: [{ path: 'plant1/line2/pump3/current' }], hiddenCauses: 0 });
    graph.close();
  });

  it('subscriptions deliver only readable changes', () => {
    const graph = loadStation();
    const seen: string[] = [];
    graph.subscribe('plant1/line2/pump3', { as: contractor }).subscribe({ next: (r) => seen.push(r.path) });
    graph.ingest({ topic: 'plant1/line2/pump3/current', payload: 20, timestamp: 2 });
    expect(seen).toEqual(['plant1/line2/pump3/power']);
    expect(() => graph.subscribe('plant1/line2/pump3/current', { as: contractor })).toThrow(expect.objectContaining({ code: 'TWIN_NOT_FOUND' }));
    graph.close();
  });

  it('impact lists readable properties and twins and counts the rest', () => {
    const graph = loadStation();
    const all = graph.impact(['plant1/line2/pump3/current']);
    expect(all.properties).toEqual(['plant1/line2/pump3/current', 'plant1/line2/pump3/power', 'plant1/line2/power']);
    const filtered = graph.impact(['plant1/line2/pump3/speed'], { as: contractor });
    expect(filtered).toMatchObject({ properties: ['plant1/line2/pump3/speed'], twins: ['plant1/line2/pump3'], hidden: { properties: 0, twins: 0 } });
    const bearing = graph.impact([{ connection: 'plc' }], { as: contractor });
    expect(bearing.hidden.properties).toBeGreaterThan(0);
    expect(bearing.properties).not.toContain('plant1/line2/pump3/current');
    expect(() => graph.impact(['plant1/line2/pump3/current'], { as: contractor })).toThrow(expect.objectContaining({ code: 'TWIN_NOT_FOUND' }));
    graph.close();
  });
});

describe('setpoint writes', () => {
  const sent: { topic: string; payload: unknown }[] = [];
  const sink = { publish: async (m: { topic: string; payload: unknown }) => void sent.push(m) };

  it('a fan-out write needs WRITE on every target', async () => {
    sent.length = 0;
    const graph = loadStation({ sink });
    await expect(graph.write('plant1/line2/speedSetpoint', 1500, { as: { roles: ['operator'] } })).rejects.toMatchObject({
      code: 'TWIN_ACCESS_DENIED',
      details: { denied: ['plant1/line2/speedSetpoint', 'plant1/line2/pump4/speedSetpoint'], hidden: 0 },
    });
    expect(sent).toEqual([]);
    const result = await graph.write('plant1/line2/speedSetpoint', 1500, { as: { roles: ['lead'] } });
    expect(result.setpoints).toEqual(['plant1/line2/speedSetpoint', 'plant1/line2/pump3/speedSetpoint', 'plant1/line2/pump4/speedSetpoint']);
    expect(sent.map((m) => [m.topic, (m.payload as { value: unknown }).value])).toEqual([
      ['plant1/line2/pump3/speed/set', 1500],
      ['plant1/line2/pump4/speed/set', 1500],
    ]);
    expect(graph.read('plant1/line2/pump4/speedSetpoint')).toMatchObject({ quality: 'Good', value: 1500 });
    graph.close();
  });

  it('WRITE without READ: a write-only caller can write but not read', async () => {
    sent.length = 0;
    const graph = loadStation({ sink });
    const scheduler = { user: 'scheduler' };
    await graph.write('plant1/line2/pump4/speedSetpoint', 900, { as: scheduler });
    expect(sent.map((m) => m.topic)).toEqual(['plant1/line2/pump4/speed/set']);
    expect(() => graph.read('plant1/line2/pump4/speedSetpoint', { as: scheduler })).toThrow(expect.objectContaining({ code: 'TWIN_NOT_FOUND' }));
    await expect(graph.write('plant1/line2/pump3/speedSetpoint', 900, { as: scheduler })).rejects.toMatchObject({ code: 'TWIN_NOT_FOUND' });
    await expect(graph.write('plant1/line2/pump3/speed', 900)).rejects.toMatchObject({ code: 'TWIN_NOT_WRITABLE' });
    graph.close();
  });

  it('refuses, retryably, while a target connection is down', async () => {
    const graph = loadStation({ sink });
    graph.setConnectionState('plc', false);
    await expect(graph.write('plant1/line2/speedSetpoint', 1)).rejects.toMatchObject({ code: 'TWIN_WRITE_FAILED', retryable: true });
    graph.close();
  });
});

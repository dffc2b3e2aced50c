import { describe, expect, it } from 'vitest';
import { isIiotError, parseTopicFilter, topicMatches } from '../src/index.js';

describe('parseTopicFilter: MQTT specification examples', () => {
  it.each([
    ['sport/tennis/player1/#', 'sport/tennis/player1', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
    ['sport/#', 'sport', true],
    ['#', 'sport/tennis', true],
    ['sport/tennis/+', 'sport/tennis/player1', true],
    ['sport/tennis/+', 'sport/tennis/player1/ranking', false],
    ['sport/+', 'sport', false],
    ['sport/+', 'sport/', true],
    ['+/+', '/finance', true],
    ['/+', '/finance', true],
    ['+', '/finance', false],
    ['#', '$SYS/broker', false],
    ['+/monitor/Clients', '$SYS/monitor/Clients', false],
    ['$SYS/#', '$SYS/monitor/Clients', true],
    ['$SYS/monitor/+', '$SYS/monitor/Clients', true],
    ['a//b', 'a//b', true],
    ['a/+/b', 'a//b', true],
    ['a/b', 'a/b/', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});

describe('parseTopicFilter: named wildcards', () => {
  it('captures single levels and a multi-level rest', () => {
    const f = parseTopicFilter('services/+service/test/#topic');
    expect(f.names).toEqual(['service', 'topic']);
    expect(f.mqttFilter).toBe('services/+/test/#');
    expect(f.match('services/abc/test/a/b/c')).toEqual({ service: 'abc', topic: 'a/b/c' });
    expect(f.match('services/abc/test')).toEqual({ service: 'abc', topic: '' });
    expect(f.match('services/abc/other/x')).toBeUndefined();
  });

  it('keeps a $share prefix in the subscription but not in matching', () => {
    const f = parseTopicFilter('$share/group/plant/+line');
    expect(f.shareGroup).toBe('group');
    expect(f.mqttFilter).toBe('$share/group/plant/+');
    expect(f.match('plant/l1')).toEqual({ line: 'l1' });
  });

  it('returns no variables for plain wildcards', () => {
    expect(parseTopicFilter('a/+/#').match('a/b/c')).toEqual({});
  });
});

describe('parseTopicFilter: invalid filters', () => {
  it.each([
    ['', /empty/],
    ['a/b#', /mixes a wildcard with text/],
    ['a/+b+/c', /is not a wildcard/],
    ['a/#/b', /is not the last level/],
    ['a/x+/c', /mixes a wildcard with text/],
    ['a/+n/+n', /captured twice/],
    ['a/+9x', /is not a wildcard/],
    ['a\u0000b', /NUL/],
    ['$share/g', /needs a group and a filter/],
  ])('%j is rejected', (filter, message) => {
    try {
      parseTopicFilter(filter);
      expect.unreachable();
    } catch (error) {
      expect(isIiotError(error, 'TOPIC_FILTER_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('rejects filters longer than 65535 UTF-8 bytes, counting multi-byte characters', () => {
    expect(() => parseTopicFilter('ä'.repeat(32_768))).toThrow(/65535 bytes/);
    expect(() => parseTopicFilter('a'.repeat(65_535))).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { assertTopicName, checkTopicName, compileTopicTemplate, isIiotError, parseTopicFilter } from '../src/index.js';

describe('compileTopicTemplate', () => {
  it('substitutes $name and {name}, including multi-level captures', () => {
    const filter = parseTopicFilter('services/x/test/#topic');
    const template = compileTopicTemplate('TestDevice/$topic/{topic}-raw', { names: filter.names });
    expect(template.names).toEqual(['topic']);
    expect(template.render(filter.match('services/x/test/a/b'))).toBe('TestDevice/a/b/a/b-raw');
  });

  it('reports a name the subscription does not capture when it is compiled', () => {
    try {
      compileTopicTemplate('out/$machine', { names: ['line'] });
      expect.unreachable();
    } catch (error) {
      expect(isIiotError(error, 'TOPIC_TEMPLATE_UNKNOWN_NAME')).toBe(true);
      expect((error as Error).message).toMatch(/"machine".*Available: line/);
    }
  });

  it('treats a leading $word as the reserved prefix unless it is a known name', () => {
    expect(compileTopicTemplate('$aws/rules/r/$id', { names: ['id'] }).render({ id: '7' })).toBe('$aws/rules/r/7');
    expect(compileTopicTemplate('$topic', { names: ['topic'] }).render({ topic: 'a/b' })).toBe('a/b');
    expect(compileTopicTemplate('a/$$b').render({})).toBe('a/$b');
  });

  it('throws when a message lacks a variable the template needs', () => {
    const template = compileTopicTemplate('out/{line}');
    expect(() => template.render({})).toThrow(/needs "line"/);
    expect(template.render({ line: 3 })).toBe('out/3');
  });

  it('rejects an empty {}', () => {
    expect(() => compileTopicTemplate('a/{}')).toThrow(/empty \{\}/);
  });
});

describe('topic names for publishing', () => {
  it.each(['a/+', 'a/#', '', 'a\u0000'])('%j is refused', (topic) => {
    expect(checkTopicName(topic)).toBeDefined();
    expect(() => assertTopicName(topic)).toThrow(/Cannot publish/);
  });

  it('accepts ordinary topics, $ topics and the 65535-byte maximum', () => {
    expect(checkTopicName('$aws/things/t/shadow/update')).toBeUndefined();
    expect(checkTopicName('a'.repeat(65_535))).toBeUndefined();
    expect(checkTopicName('€'.repeat(21_846))).toMatch(/65535 bytes/);
  });
});

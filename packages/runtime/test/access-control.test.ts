import { describe, expect, it } from 'vitest';
import { createAccessControl } from '../src/index.js';

describe('createAccessControl', () => {
  const access = createAccessControl();
  access.setServiceUsers('svc', [
    { username: 'reader', password: 'pw-reader', permissions: [{ resource: 'plant/+line/data/#', operation: 'read' }] },
    { username: 'writer', password: 'pw-writer', permissions: [{ resource: 'plant/cmd', operation: 'write' }] },
    { username: 'both', password: 'pw-both', permissions: [{ resource: 'a/#', operation: 'readWrite' }] },
  ]);

  it('authenticates only the right password', () => {
    expect(access.authenticate('reader', 'pw-reader')).toBe(true);
    expect(access.authenticate('reader', 'pw-writer')).toBe(false);
    expect(access.authenticate('nobody', 'pw-reader')).toBe(false);
  });

  it('maps read to subscribe and write to publish', () => {
    expect(access.canSubscribe('reader', 'plant/1/data/#')).toBe(true);
    expect(access.canPublish('reader', 'plant/1/data/x')).toBe(false);
    expect(access.canPublish('writer', 'plant/cmd')).toBe(true);
    expect(access.canSubscribe('writer', 'plant/cmd')).toBe(false);
    expect(access.canPublish('both', 'a/b/c')).toBe(true);
    expect(access.canSubscribe('both', 'a')).toBe(true);
  });

  it('allows a subscription only inside a readable filter', () => {
    expect(access.canSubscribe('reader', 'plant/+/data/temp')).toBe(true);
    expect(access.canSubscribe('reader', 'plant/#')).toBe(false);
    expect(access.canSubscribe('reader', '#')).toBe(false);
    expect(access.canSubscribe('reader', 'plant/1/other')).toBe(false);
  });

  it('forgets a service’s users when it is removed', () => {
    const local = createAccessControl();
    local.setServiceUsers('s', [{ username: 'u', password: 'secret1', permissions: [] }]);
    local.removeService('s');
    expect(local.authenticate('u', 'secret1')).toBe(false);
  });
});

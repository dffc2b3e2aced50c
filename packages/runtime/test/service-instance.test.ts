import { type Connector, type ConnectorFactory, type ConnectorStatus, createSubscribable, type Observer } from '@iiot/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../src/index.js';
import type { ResourceContext, ResourceModel } from '../src/resources/types.js';
import { ServiceInstance } from '../src/service-instance.js';

/** A connector whose state the test drives, recording what was created and closed. */
function recordingFactory() {
  const live = new Map<string, { set(state: ConnectorStatus['state']): void }>();
  const closed: string[] = [];
  const factory: ConnectorFactory = {
    protocol: 'Test',
    create(properties, context) {
      if (properties.fail) throw new Error(`cannot open ${context.resourceId}`);
      let status: ConnectorStatus = { state: 'connecting' };
      const observers = new Set<Observer<ConnectorStatus>>();
      live.set(context.resourceId, {
        set(state) {
          status = { state };
          for (const o of observers) o.next(status);
        },
      });
      const connector: Connector = {
        status: createSubscribable((o) => {
          observers.add(o);
          o.next(status);
          return () => observers.delete(o);
        }),
        currentStatus: () => status,
        source: () => createSubscribable(() => undefined),
        sink: { publish: async () => {} },
        async close() {
          closed.push(context.resourceId);
        },
      };
      return connector;
    },
  };
  return { factory, live, closed };
}

const dataDirs: string[] = [];
afterEach(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function context(factory: ConnectorFactory): ResourceContext {
  const dataDir = mkdtempSync(join(tmpdir(), 'iiot-instance-'));
  dataDirs.push(dataDir);
  return {
    serviceId: 'svc',
    mqttRoot: 'services/svc',
    local: undefined as unknown as Connector,
    registry: createConnectorRegistry([factory]),
    log: pino({ level: 'silent' }),
    dataDir,
    connection: () => {
      throw new Error('not used');
    },
    resource: () => {
      throw new Error('not used');
    },
    publishLocal: async () => {},
    sendLocal: () => {},
  };
}

const connection = (id: string, extra: Record<string, unknown> = {}): ResourceModel => ({
  id,
  type: 'Cybus::Connection',
  properties: { protocol: 'Test', connection: { host: id, ...extra } },
});

describe('ServiceInstance', () => {
  it('is deviated until every connection reaches its target state', async () => {
    const { factory, live } = recordingFactory();
    const service = new ServiceInstance('svc', [connection('a'), connection('b')], context(factory));
    await service.enable();
    expect(service.status('enabled')).toMatchObject({ state: 'enabled', deviated: true });
    live.get('a')!.set('connected');
    live.get('b')!.set('connected');
    expect(service.status('enabled')).toMatchObject({ deviated: false, deviations: [] });
    live.get('b')!.set('reconnecting');
    expect(service.status('enabled').deviations).toEqual([{ resourceId: 'b', targetState: 'connected', state: 'reconnecting' }]);
    await service.disable();
  });

  it('rolls back what it started when enabling fails', async () => {
    const { factory, closed } = recordingFactory();
    const service = new ServiceInstance('svc', [connection('a'), connection('b'), connection('c', { fail: true })], context(factory));
    await expect(service.enable()).rejects.toMatchObject({ code: 'ENABLE_FAILED' });
    expect(closed).toEqual(['b', 'a']);
    expect(service.state).toBe('disabled');
    expect(service.status('enabled').lastError).toMatchObject({ message: 'cannot open c' });
  });

  it('reports a recognised but unsupported resource without failing', async () => {
    const { factory } = recordingFactory();
    const service = new ServiceInstance('svc', [{ id: 'web', type: 'Cybus::Container', properties: {} }], context(factory));
    await service.enable();
    expect(service.status('enabled')).toMatchObject({ deviated: false, resources: [{ id: 'web', state: 'unsupported' }] });
  });

  it('restarts only the resources it is told to', async () => {
    const { factory, closed } = recordingFactory();
    const service = new ServiceInstance('svc', [connection('a'), connection('b')], context(factory));
    await service.enable();
    const a = service.get('a');
    await service.replace([connection('a'), connection('b', { port: 2 })], new Set(['b']));
    expect(closed).toEqual(['b']);
    expect(service.get('a')).toBe(a);
    expect(service.get('b')).toBeDefined();
    await service.disable();
  });
});

import { describe, expect, it } from 'vitest';
import { renderPrometheus, type ServiceStatus } from '../src/index.js';

describe('renderPrometheus', () => {
  it('renders flow, buffer and connection figures with escaped labels', () => {
    const service: ServiceStatus = {
      serviceId: 's"1',
      state: 'enabled',
      targetState: 'enabled',
      deviated: true,
      deviations: [],
      resources: [
        { id: 'conn', type: 'Cybus::Connection', targetState: 'connected', state: 'reconnecting', buffer: { messages: 3, bytes: 600, oldestAgeMs: 1500, dropped: 0, rejected: 1 } },
        { id: 'map', type: 'Cybus::Mapping', targetState: 'enabled', state: 'enabled', flow: { in: 5, out: 4, dropped: 1, errored: 0, lastForwardedAt: 9000 } },
      ],
    };
    const text = renderPrometheus([service], 10_000);
    expect(text).toContain('# TYPE iiot_mapping_messages_in_total counter\niiot_mapping_messages_in_total{service="s\\"1",resource="map"} 5');
    expect(text).toContain('iiot_mapping_last_forwarded_age_seconds{service="s\\"1",resource="map"} 1');
    expect(text).toContain('iiot_buffer_oldest_age_seconds{service="s\\"1",resource="conn"} 1.5');
    expect(text).toContain('iiot_connection_state{service="s\\"1",resource="conn",state="reconnecting"} 1');
    expect(text).toContain('iiot_connection_state{service="s\\"1",resource="conn",state="connected"} 0');
    expect(text).toContain('iiot_service_deviated{service="s\\"1"} 1');
  });
});

import type { ServiceStatus } from '../service-instance.js';

const CONNECTION_STATES = ['connecting', 'connected', 'reconnecting', 'disconnected'] as const;

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  samples: string[];
}

/** Renders the services' flow, buffer and connection figures in the Prometheus text exposition format. */
export function renderPrometheus(services: readonly ServiceStatus[], now = Date.now()): string {
  const families = new Map<string, Family>();
  const add = (name: string, type: Family['type'], help: string, labels: Record<string, string>, value: number) => {
    let family = families.get(name);
    if (!family) families.set(name, (family = { help, type, samples: [] }));
    family.samples.push(`${name}{${formatLabels(labels)}} ${Number.isFinite(value) ? value : 0}`);
  };
  for (const service of services) {
    add('iiot_service_deviated', 'gauge', 'Whether a resource of the service differs from its target state.', { service: service.serviceId }, service.deviated ? 1 : 0);
    for (const r of service.resources) {
      const labels = { service: service.serviceId, resource: r.id };
      if (r.flow) {
        add('iiot_mapping_messages_in_total', 'counter', 'Messages that entered the flow.', labels, r.flow.in);
        add('iiot_mapping_messages_out_total', 'counter', 'Messages the flow forwarded.', labels, r.flow.out);
        add('iiot_mapping_messages_dropped_total', 'counter', 'Messages filtered out or shed.', labels, r.flow.dropped);
        add('iiot_mapping_messages_errored_total', 'counter', 'Messages a rule or publish failed on.', labels, r.flow.errored);
        if (r.flow.lastForwardedAt > 0) {
          add('iiot_mapping_last_forwarded_age_seconds', 'gauge', 'Seconds since the flow last forwarded a message.', labels, (now - r.flow.lastForwardedAt) / 1000);
        }
      }
      if (r.buffer) {
        add('iiot_buffer_messages', 'gauge', 'Messages waiting in the sink buffer.', labels, r.buffer.messages);
        add('iiot_buffer_bytes', 'gauge', 'Bytes waiting in the sink buffer.', labels, r.buffer.bytes);
        add('iiot_buffer_oldest_age_seconds', 'gauge', 'Age of the oldest buffered message.', labels, r.buffer.oldestAgeMs / 1000);
        add('iiot_buffer_dropped_total', 'counter', 'Messages the buffer discarded by overflow policy or age.', labels, r.buffer.dropped);
        add('iiot_sink_rejected_total', 'counter', 'Messages the target refused for good.', labels, r.buffer.rejected);
      }
      if (r.type === 'Cybus::Connection') {
        for (const state of CONNECTION_STATES) {
          add('iiot_connection_state', 'gauge', 'Connection state (1 for the current one).', { ...labels, state }, r.state === state ? 1 : 0);
        }
      }
    }
  }
  let out = '';
  for (const [name, family] of families) {
    out += `# HELP ${name} ${family.help}\n# TYPE ${name} ${family.type}\n${family.samples.join('\n')}\n`;
  }
  return out;
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

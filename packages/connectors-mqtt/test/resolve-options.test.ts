import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/_internal/resolve-options.js';
import { type MqttConnectionOptions, isMqttError } from '../src/index.js';

const configError = (options: MqttConnectionOptions) => {
  try {
    resolveOptions(options);
  } catch (error) {
    if (isMqttError(error, 'MQTT_CONFIG_INVALID')) return error;
    throw error;
  }
  throw new Error('expected MQTT_CONFIG_INVALID');
};

describe('resolveOptions', () => {
  it('applies the reference defaults and keeps reconnecting and queueing away from MQTT.js', () => {
    const resolved = resolveOptions({ host: 'broker.local', mqttOptions: { reconnectPeriod: 5000, queueQoSZero: true, subscribeBatchSize: 8 } });
    expect(resolved.endpoint).toBe('mqtt://broker.local:1883');
    expect(resolved.clientId).toMatch(/^iiot-[0-9a-f]{12}$/);
    expect(resolved.strategy).toEqual({ initialDelay: 1000, maxDelay: 30_000, incrementFactor: 2, stableAfter: 10_000 });
    expect(resolved.client).toMatchObject({
      protocol: 'mqtt',
      port: 1883,
      keepalive: 60,
      clean: true,
      protocolVersion: 4,
      reconnectPeriod: 0,
      queueQoSZero: false,
      resubscribe: false,
      subscribeBatchSize: 8,
    });
  });

  it('passes TLS options through and verifies the broker unless trustAllCertificates', () => {
    const tls = resolveOptions({
      host: 'iot.example',
      scheme: 'mqtts',
      mutualAuthentication: true,
      caCert: 'CA',
      clientCert: 'CERT',
      clientPrivateKey: 'KEY-PEM',
      password: 'hunter22',
      mqttOptions: { ALPNProtocols: ['x-amzn-mqtt-ca'] },
    });
    expect(tls.endpoint).toBe('mqtts://iot.example:8883');
    expect(tls.client).toMatchObject({ ca: 'CA', cert: 'CERT', key: 'KEY-PEM', rejectUnauthorized: true, ALPNProtocols: ['x-amzn-mqtt-ca'] });
    expect(tls.secrets).toEqual(['hunter22', 'KEY-PEM']);
    expect(resolveOptions({ host: 'h', scheme: 'mqtts', trustAllCertificates: true }).client.rejectUnauthorized).toBe(false);
    // Without mutualAuthentication no client certificate is presented.
    expect(resolveOptions({ host: 'h', scheme: 'mqtts', clientCert: 'C', clientPrivateKey: 'K' }).client.cert).toBeUndefined();
  });

  it('defaults ports by scheme and a WebSocket path', () => {
    expect(resolveOptions({ host: 'h', scheme: 'wss' }).client).toMatchObject({ port: 443, path: '/mqtt' });
    expect(resolveOptions({ host: 'h', scheme: 'ws', path: '/ws' }).client).toMatchObject({ port: 80, path: '/ws' });
  });

  it('refuses options that cannot work, naming the field', () => {
    expect(configError({ host: 'mqtt://h' }).details).toEqual({ field: 'host' });
    expect(configError({ host: 'h', port: 70_000 }).message).toContain('port');
    expect(configError({ host: 'h', scheme: 'http' as never }).message).toContain('scheme');
    expect(configError({ host: 'h', mutualAuthentication: true, clientCert: 'C' }).message).toContain('clientPrivateKey');
    expect(configError({ host: 'h', connectionStrategy: { incrementFactor: 0.5 } }).message).toContain('incrementFactor');
    expect(configError({ host: 'h', connectionStrategy: { initialDelay: 5000, maxDelay: 1000 } }).message).toContain('maxDelay');
  });
});

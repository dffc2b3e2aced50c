import { mosquittoAvailable, startMosquitto } from '@iiot/test-support';
import { describe } from 'vitest';
import { startAedes } from './fixtures/aedes-broker.js';
import { tlsSuite } from './fixtures/tls-suite.js';

describe('TLS and mutual TLS (aedes behind tls.createServer)', () => {
  tlsSuite(async ({ ca, cert, key, requireCertificate }) => {
    const broker = await startAedes({ tls: { ca, cert, key, requestCert: requireCertificate, rejectUnauthorized: requireCertificate } });
    return { port: broker.port, close: () => broker.close() };
  }, { badCertificate: 'MQTT_CONNECT_REFUSED', noCertificate: 'MQTT_TLS_CERTIFICATE_REJECTED' });
});

describe.runIf(mosquittoAvailable())('TLS and mutual TLS (Mosquitto)', () => {
  tlsSuite(async (tls) => {
    const broker = await startMosquitto({ tls });
    return { port: broker.port, close: () => broker.close() };
  }, { badCertificate: 'MQTT_TLS_CERTIFICATE_REJECTED', noCertificate: 'MQTT_TLS_CERTIFICATE_REJECTED' });
});

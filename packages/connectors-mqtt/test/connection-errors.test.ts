import { describe, expect, it } from 'vitest';
import { classifyConnectionError } from '../src/_internal/connection-errors.js';

const context = { endpoint: 'mqtts://broker:8883', clientId: 'gw-1', secrets: ['s3cret-pass'] };
const withCode = (message: string, code: string | number) => Object.assign(new Error(message), { code });

describe('classifyConnectionError', () => {
  it.each([
    [withCode('Connection refused: Bad username or password', 4), 'MQTT_AUTH_REFUSED', false],
    [withCode('Connection refused: Not authorized', 135), 'MQTT_AUTH_REFUSED', false],
    [withCode('Connection refused: Server unavailable', 3), 'MQTT_CONNECT_REFUSED', true],
    [withCode('Connection refused: Identifier rejected', 2), 'MQTT_CONNECT_REFUSED', false],
    [withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), 'MQTT_HOST_UNREACHABLE', true],
    [withCode('getaddrinfo ENOTFOUND nowhere', 'ENOTFOUND'), 'MQTT_HOST_UNREACHABLE', true],
    [new Error('connack timeout'), 'MQTT_TIMEOUT', true],
    [new Error('Keepalive timeout'), 'MQTT_TIMEOUT', true],
    [withCode('read ECONNRESET', 'ECONNRESET'), 'MQTT_CONNECTION_LOST', true],
    [withCode('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), 'MQTT_TLS_VERIFICATION_FAILED', false],
    [withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'), 'MQTT_TLS_VERIFICATION_FAILED', false],
    [withCode('tlsv13 alert certificate required', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), 'MQTT_TLS_CERTIFICATE_REJECTED', false],
    [withCode('tlsv1 alert unknown ca', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), 'MQTT_TLS_CERTIFICATE_REJECTED', false],
    [withCode('wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'), 'MQTT_TLS_HANDSHAKE_FAILED', false],
    [withCode('key values mismatch', 'ERR_OSSL_X509_KEY_VALUES_MISMATCH'), 'MQTT_CONFIG_INVALID', false],
  ] as const)('%s → %s', (error, code, retryable) => {
    const classified = classifyConnectionError(error, context);
    expect(classified.code).toBe(code);
    expect(classified.retryable).toBe(retryable);
    expect(classified.cause).toBe(error);
    expect(classified.message).toContain('mqtts://broker:8883');
  });

  it('keeps secrets out of the message', () => {
    const classified = classifyConnectionError(new Error('refused for s3cret-pass'), context);
    expect(classified.message).not.toContain('s3cret-pass');
  });
});

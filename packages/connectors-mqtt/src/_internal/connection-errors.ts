import { redactText } from '@iiot/core';
import { MqttError, type MqttErrorCode } from '../errors.js';

/** Where a connection error happened, for messages that say where and what to do. */
export interface ErrorContext {
  /** `scheme://host:port`, never with credentials. */
  endpoint: string;
  clientId: string;
  /** Secret values (password, private key) to keep out of messages. */
  secrets: readonly string[];
}

// MQTT 3.1.1 CONNACK return codes and MQTT 5 reason codes.
const AUTH_CODES = new Set([4, 5, 134, 135, 138, 140]);
const RETRYABLE_CONNACK = new Set([3, 136, 137, 139, 151, 156, 157, 159]);

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_PREMATURE_CLOSE']);
const VERIFY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
// TLS alerts a server sends when it does not accept the client's certificate.
const CERT_ALERT = /ALERT_(CERTIFICATE_REQUIRED|UNKNOWN_CA|CERTIFICATE_EXPIRED|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|HANDSHAKE_FAILURE)/;

/** How errors name a broker: endpoint and client id, never credentials. */
export function where(context: ErrorContext): string {
  return `the broker at ${context.endpoint} (client id "${context.clientId}")`;
}

const detailsOf = (context: ErrorContext) => ({ endpoint: context.endpoint, clientId: context.clientId });

/** Translates whatever MQTT.js, `net` or `tls` reported into an `MqttError` with a code, a hint and `retryable`. */
export function classifyConnectionError(error: unknown, context: ErrorContext): MqttError {
  if (error instanceof MqttError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: unknown }).code;
  const reason = redactText(err.message, { secrets: context.secrets });
  const at = where(context);
  const make = (c: MqttErrorCode, message: string, retryable: boolean) =>
    new MqttError(c, message, {
      retryable,
      cause: err,
      details: { ...detailsOf(context), ...(code === undefined ? {} : { reason: code }) },
    });

  if (typeof code === 'number') {
    if (AUTH_CODES.has(code)) {
      return make('MQTT_AUTH_REFUSED', `${at} refused the connection: ${reason}. Check username, password and the broker's access rules.`, false);
    }
    const retryable = RETRYABLE_CONNACK.has(code);
    const hint = retryable ? 'Retrying with backoff.' : 'Check clientId and protocolVersion against what the broker accepts.';
    return make('MQTT_CONNECT_REFUSED', `${at} refused the connection: ${reason}. ${hint}`, retryable);
  }
  if (typeof code === 'string') {
    if (UNREACHABLE.has(code)) {
      return make('MQTT_HOST_UNREACHABLE', `Cannot reach ${at}: ${reason}. Check host, port and that the broker runs; retrying with backoff.`, true);
    }
    if (code === 'ETIMEDOUT') return timeout(make, at, reason);
    if (LOST.has(code)) return make('MQTT_CONNECTION_LOST', `The connection to ${at} closed: ${reason}. Reconnecting with backoff.`, true);
    if (VERIFY.has(code)) {
      return make(
        'MQTT_TLS_VERIFICATION_FAILED',
        `Cannot verify the certificate of ${at}: ${reason}. Set caCert to the CA that signed the broker's certificate and connect with a host name the certificate lists, or (for tests only) set trustAllCertificates.`,
        false,
      );
    }
    if (CERT_ALERT.test(code)) {
      return make(
        'MQTT_TLS_CERTIFICATE_REJECTED',
        `${at} refused this client's TLS certificate: ${reason}. Use a clientCert and clientPrivateKey issued by a CA the broker trusts and still valid, with mutualAuthentication set.`,
        false,
      );
    }
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
      return make('MQTT_TLS_HANDSHAKE_FAILED', `The TLS handshake with ${at} failed: ${reason}. Check that the port speaks TLS and the scheme is right.`, false);
    }
    if (code.startsWith('ERR_OSSL_')) {
      return make('MQTT_CONFIG_INVALID', `Cannot use the TLS material for ${at}: ${reason}. Check caCert, clientCert and clientPrivateKey are PEM text and belong together.`, false);
    }
  }
  if (/timeout/i.test(err.message)) return timeout(make, at, reason);
  return make('MQTT_CONNECTION_LOST', `The connection to ${at} failed: ${reason}. Reconnecting with backoff.`, true);
}

/** How far a connection got before it closed without an error. */
export type ClosePhase = 'connected' | 'before-connack' | 'after-tls-handshake';

/** The error of a connection that closed without reporting one. */
export function closedError(phase: ClosePhase, context: ErrorContext): MqttError {
  const at = where(context);
  const details = detailsOf(context);
  if (phase === 'after-tls-handshake') {
    // What brokers that check certificates after the handshake (AWS IoT, Node.js TLS servers) do to a client they
    // refuse; it can also be a passing limit (connection rate), so it is retried.
    return new MqttError(
      'MQTT_CONNECT_REFUSED',
      `${at} closed the connection after the TLS handshake without answering CONNECT: it most likely refused this client's certificate (missing, from a CA it does not trust, expired or not activated) or does not allow this client id. Retrying with backoff.`,
      { retryable: true, details },
    );
  }
  const when = phase === 'connected' ? '' : ' before CONNACK';
  return new MqttError('MQTT_CONNECTION_LOST', `The connection to ${at} closed${when}. Reconnecting with backoff.`, {
    retryable: true,
    details,
  });
}

/** The broker ended the connection with a DISCONNECT packet (MQTT 5). */
export function serverDisconnectError(context: ErrorContext, reasonCode: number | undefined, reasonString?: string): MqttError {
  const reason = reasonString ?? `reason code ${reasonCode ?? 0}`;
  return new MqttError('MQTT_CONNECTION_LOST', `${where(context)} sent DISCONNECT (${reason}). Reconnecting with backoff.`, {
    retryable: true,
    details: { ...detailsOf(context), reasonCode },
  });
}

/** A publish that was waiting for its acknowledgement when the connection closed. */
export function inFlightLostError(context: ErrorContext, cause: MqttError): MqttError {
  return new MqttError(
    'MQTT_CONNECTION_LOST',
    `The connection to ${where(context)} closed before the broker acknowledged the publish; it may or may not have arrived. Send it again.`,
    { retryable: true, cause, details: detailsOf(context) },
  );
}

/** A publish while not connected: refused, nothing kept. */
export function notConnectedError(context: ErrorContext, topic: string, state: string): MqttError {
  return new MqttError(
    'MQTT_NOT_CONNECTED',
    `Cannot publish to "${topic}": not connected to ${where(context)}. Nothing was queued; send it again once connected.`,
    { retryable: true, details: { ...detailsOf(context), topic, state } },
  );
}

/** An operation after the owner disconnected (retryable: `connect()` again) or closed (final) the connection. */
export function closedByOwnerError(context: ErrorContext, operation: string, closed: boolean): MqttError {
  return new MqttError('MQTT_CLOSED', `Cannot ${operation}: the connection to ${where(context)} was ${closed ? 'closed' : 'disconnected'} by its owner.`, {
    retryable: !closed,
    details: detailsOf(context),
  });
}

// MQTT 5 PUBACK/PUBREC reason codes after which the same publish may succeed later.
const RETRYABLE_REASONS = new Set([0x89, 0x96, 0x97]);

/** Translates an error MQTT.js reported for one publish. */
export function publishError(error: Error, topic: string, context: ErrorContext): MqttError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') {
    return new MqttError('MQTT_PUBLISH_REFUSED', `${where(context)} refused the publish to "${topic}": ${error.message}. Check the topic and the broker's access rules.`, {
      retryable: RETRYABLE_REASONS.has(code),
      cause: error,
      details: { ...detailsOf(context), topic, reasonCode: code },
    });
  }
  return new MqttError('MQTT_CONNECTION_LOST', `The publish to "${topic}" at ${where(context)} failed: ${error.message}. Send it again.`, {
    retryable: true,
    cause: error,
    details: { ...detailsOf(context), topic },
  });
}

function timeout(make: (c: MqttErrorCode, m: string, r: boolean) => MqttError, at: string, reason: string): MqttError {
  return make('MQTT_TIMEOUT', `No answer from ${at} in time: ${reason}. Check the network path; retrying with backoff.`, true);
}

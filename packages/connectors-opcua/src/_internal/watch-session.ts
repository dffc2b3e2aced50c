import { AttributeIds } from 'node-opcua-client';
import { OpcuaError } from '../errors.js';
import type { OpenSession } from './open-session.js';

/** ServerStatus.CurrentTime: every server has it and answers it cheaply. */
const PROBE_NODE = 'i=2258';

/** A watch over one open session. */
export interface SessionWatch {
  /** Resolves with the reason once the session is gone: connection lost, session closed, or server silent. */
  readonly ended: Promise<OpcuaError>;
  /** Records that the server answered something (data, keep-alive, a response). */
  heard(): void;
  /** Ends the watch now with the given reason. */
  end(reason: OpcuaError): void;
}

/**
 * Watches a session for loss. The keep-alive watchdog probes a server that has been silent for
 * `intervalMs`, and gives it up once it has been silent for twice that: a server can keep the TCP connection
 * and the session open while sending nothing, and then only silence tells.
 */
export function watchSession(open: OpenSession, intervalMs: number, endpointUrl: string): SessionWatch {
  let lastHeard = Date.now();
  let probing = false;
  let resolveEnded!: (reason: OpcuaError) => void;
  const ended = new Promise<OpcuaError>((resolve) => {
    resolveEnded = resolve;
  });
  const lost = (what: string) =>
    new OpcuaError('OPCUA_CONNECTION_LOST', `OPC UA server ${endpointUrl}: ${what}; reconnecting.`, { retryable: true, details: { endpointUrl } });
  const onConnectionLost = () => end(lost('connection lost'));
  const onClose = () => end(lost('connection closed'));
  const onSessionClosed = () => end(lost('session closed by the server'));
  const timer = setInterval(
    () => {
      const silentFor = Date.now() - lastHeard;
      if (silentFor >= 2 * intervalMs) return end(lost(`no answer for ${silentFor} ms (keep-alive watchdog)`));
      if (silentFor < intervalMs || probing) return;
      probing = true;
      open.session
        .read({ nodeId: PROBE_NODE, attributeId: AttributeIds.Value })
        .then(heard, () => {})
        .finally(() => {
          probing = false;
        });
    },
    Math.max(10, Math.floor(intervalMs / 4)),
  );
  timer.unref();
  open.client.on('connection_lost', onConnectionLost);
  open.client.on('close', onClose);
  open.session.on('session_closed', onSessionClosed);

  function heard() {
    lastHeard = Date.now();
  }
  function end(reason: OpcuaError) {
    clearInterval(timer);
    open.client.off('connection_lost', onConnectionLost);
    open.client.off('close', onClose);
    open.session.off('session_closed', onSessionClosed);
    resolveEnded(reason);
  }
  return { ended, heard, end };
}

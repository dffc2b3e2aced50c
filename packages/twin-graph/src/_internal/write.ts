import type { MessageSink } from '@iiot/core';
import { TwinAccessError } from '../errors.js';
import { RANKS } from '../quality.js';
import type { WriteResult } from '../readings.js';
import { type Model, SETPOINT } from './model.js';
import { CONNECTED, type GraphState } from './state.js';

export interface WriteRequest {
  node: number;
  value: unknown;
  now: number;
  writable: (n: number) => boolean;
  readable: (n: number) => boolean;
  sink: MessageSink | undefined;
  touch: (n: number) => void;
}

/** Writes a setpoint and its fan-out: checks every permission and connection first, then publishes. */
export async function writeSetpoint(model: Model, state: GraphState, request: WriteRequest): Promise<WriteResult> {
  const { node, value, now, writable, readable } = request;
  const path = model.paths[node]!;
  if (model.kind[node] !== SETPOINT) {
    throw new TwinAccessError('TWIN_NOT_WRITABLE', `"${path}" is not a setpoint; only setpoint properties can be written.`, { details: { path } });
  }
  const closure = [node];
  const seen = new Set(closure);
  for (let i = 0; i < closure.length; i++) {
    for (const t of model.setpoint[closure[i]!]!.targets) {
      if (!seen.has(t)) {
        seen.add(t);
        closure.push(t);
      }
    }
  }
  const denied = closure.filter((n) => !writable(n));
  if (denied.length) {
    if (denied[0] === node && !readable(node)) {
      throw new TwinAccessError('TWIN_NOT_FOUND', `"${path}" is not a twin or property of this graph, or you may not read it.`, { details: { path } });
    }
    const shown = denied.filter(readable).map((n) => model.paths[n]!);
    const hidden = denied.length - shown.length;
    throw new TwinAccessError(
      'TWIN_ACCESS_DENIED',
      `Writing "${path}" needs WRITE on every setpoint it fans out to; missing on ${[...shown, ...(hidden ? [`${hidden} setpoint(s) you may not read`] : [])].join(', ')}. Ask for WRITE there in the policy.`,
      { details: { path, denied: shown, hidden } },
    );
  }
  const down = closure.filter((n) => model.connectionOf[n]! >= 0 && state.connectionPhase[model.connectionOf[n]!] !== CONNECTED);
  if (down.length) {
    const names = [...new Set(down.map((n) => model.connections[model.connectionOf[n]!]))];
    throw new TwinAccessError('TWIN_WRITE_FAILED', `Cannot write "${path}": connection ${names.join(', ')} is down. Try again once it is back.`, { retryable: true, details: { path, connections: names } });
  }
  const topics = closure.flatMap((n) => model.setpoint[n]!.topic ?? []);
  const sink = request.sink;
  if (topics.length && !sink) {
    throw new TwinAccessError('TWIN_WRITE_FAILED', `Cannot write "${path}": it writes through to ${topics.join(', ')} but the graph has no sink. Pass sink to createTwinGraph.`);
  }
  const sent = await Promise.allSettled(topics.map((topic) => sink!.publish({ topic, payload: { value, timestamp: now }, timestamp: now })));
  const failed = sent.findIndex((r) => r.status === 'rejected');
  if (failed >= 0) {
    const cause = (sent[failed] as PromiseRejectedResult).reason;
    throw new TwinAccessError('TWIN_WRITE_FAILED', `Writing "${path}" to ${topics[failed]} failed; the setpoint keeps its previous value. Try again.`, { retryable: true, cause });
  }
  for (const n of closure) {
    state.raw[n] = value;
    state.time[n] = now;
    state.sourceRank[n] = RANKS.good;
    state.awaitingRefresh[n] = 0;
    request.touch(n);
  }
  return { setpoints: closure.map((n) => model.paths[n]!), topics };
}

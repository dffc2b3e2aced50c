import { createSubscribable, type Subscribable } from '@iiot/core';
import { ShadowError, type ShadowErrorCode } from './errors.js';
import type { AwsIotTransport } from './transport.js';

/** The two halves of a shadow's state. */
export interface ShadowState {
  desired?: Record<string, unknown> | null;
  reported?: Record<string, unknown> | null;
}

/** A shadow document as AWS returns it from `get` (with `delta` when desired and reported differ). */
export interface ShadowDocument {
  state: ShadowState & { delta?: Record<string, unknown> };
  metadata?: Record<string, unknown>;
  version: number;
  timestamp: number;
}

/** What AWS accepted from an update: the requested state and the shadow's new version. */
export interface ShadowUpdateAccepted {
  state: ShadowState;
  version: number;
  timestamp: number;
}

/** The difference between desired and reported after an update of `desired`. */
export interface ShadowDelta {
  state: Record<string, unknown>;
  version: number;
  timestamp: number;
}

export interface ShadowClientOptions {
  /** The connection to AWS IoT. */
  transport: Pick<AwsIotTransport, 'publish' | 'subscribe'>;
  thingName: string;
  /** A named shadow; omit for the classic shadow. @default undefined */
  shadowName?: string;
  /** How long to wait for accepted or rejected. @default 10000 */
  timeoutMs?: number;
}

/** Get, update and delete one Device Shadow, and follow its deltas. */
export interface ShadowClient {
  /** The topic prefix, `$aws/things/<thing>/shadow[/name/<shadow>]`. */
  readonly topicPrefix: string;
  get(): Promise<ShadowDocument>;
  /** Updates the shadow; with `version`, AWS refuses it (`SHADOW_VERSION_CONFLICT`) unless that is the current version. */
  update(state: ShadowState, options?: { version?: number }): Promise<ShadowUpdateAccepted>;
  delete(): Promise<{ version: number }>;
  /** Deltas as AWS publishes them; subscribing starts the subscription to `update/delta`. */
  readonly deltas: Subscribable<ShadowDelta>;
  /** Unsubscribes from every shadow topic; pending requests fail. */
  close(): Promise<void>;
}

const CODES: Record<number, ShadowErrorCode> = {
  404: 'SHADOW_NOT_FOUND',
  409: 'SHADOW_VERSION_CONFLICT',
  413: 'SHADOW_TOO_LARGE',
  429: 'SHADOW_THROTTLED',
};

interface Pending {
  resolve: (body: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

let clientTokenSeed = 0;

/** Creates a Device Shadow client (classic or named) correlating answers by `clientToken`. */
export function createShadowClient(options: ShadowClientOptions): ShadowClient {
  const { transport, thingName } = options;
  const prefix = `$aws/things/${thingName}/shadow${options.shadowName ? `/name/${options.shadowName}` : ''}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const tokenBase = `${(++clientTokenSeed).toString(36)}-${Date.now().toString(36)}`;
  let counter = 0;
  const pending = new Map<string, Pending>();
  const unsubscribers: (() => Promise<void>)[] = [];
  let answers: Promise<void> | undefined;

  const onAnswer = (topic: string, payload: Uint8Array) => {
    const [operation, outcome] = topic.slice(prefix.length + 1).split('/');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.from(payload).toString());
    } catch {
      return;
    }
    const entry = typeof body.clientToken === 'string' ? pending.get(body.clientToken) : undefined;
    if (!entry) return;
    pending.delete(body.clientToken as string);
    clearTimeout(entry.timer);
    if (outcome === 'accepted') return entry.resolve(body);
    const status = typeof body.code === 'number' ? body.code : undefined;
    const code = (status !== undefined && CODES[status]) || 'SHADOW_REJECTED';
    entry.reject(
      new ShadowError(code, `AWS IoT rejected ${operation} of shadow ${prefix}: ${String(body.message)} (${status}).`, {
        status,
        retryable: code === 'SHADOW_THROTTLED',
        details: { thingName, shadowName: options.shadowName, status },
      }),
    );
  };

  const request = async (operation: 'get' | 'update' | 'delete', body: Record<string, unknown>) => {
    answers ??= Promise.all(
      ['accepted', 'rejected'].map((outcome) =>
        transport.subscribe(`${prefix}/+/${outcome}`, (m) => onAnswer(m.topic, m.payload)).then((off) => {
          unsubscribers.push(off);
        }),
      ),
    ).then(() => undefined);
    await answers;
    const clientToken = `${tokenBase}-${++counter}`;
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        pending.delete(clientToken);
        reject(error);
      };
      const timer = setTimeout(
        () =>
          fail(
            new ShadowError('SHADOW_TIMEOUT', `No answer from AWS IoT to ${operation} of shadow ${prefix} within ${timeoutMs} ms; try again.`, {
              retryable: true,
            }),
          ),
        timeoutMs,
      );
      pending.set(clientToken, { resolve, reject, timer });
      // The request may wait for a reconnection; the timeout runs from now all the same.
      transport.publish({ topic: `${prefix}/${operation}`, payload: { ...body, clientToken }, qos: 1, timestamp: Date.now() }).catch(fail);
    });
    return answer;
  };

  return {
    topicPrefix: prefix,
    get: () => request('get', {}) as Promise<unknown> as Promise<ShadowDocument>,
    update: (state, updateOptions = {}) =>
      request('update', { state, ...(updateOptions.version === undefined ? {} : { version: updateOptions.version }) }) as Promise<unknown> as Promise<ShadowUpdateAccepted>,
    delete: () => request('delete', {}) as Promise<unknown> as Promise<{ version: number }>,
    deltas: createSubscribable<ShadowDelta>((observer) => {
      let off: (() => Promise<void>) | undefined;
      let stopped = false;
      transport
        .subscribe(`${prefix}/update/delta`, (m) => observer.next(JSON.parse(Buffer.from(m.payload).toString())))
        .then((unsubscribe) => {
          if (stopped) void unsubscribe();
          else off = unsubscribe;
        }, observer.error);
      return () => {
        stopped = true;
        void off?.();
      };
    }),
    async close() {
      for (const [token, entry] of pending) {
        clearTimeout(entry.timer);
        entry.reject(new ShadowError('SHADOW_REJECTED', `The shadow client for ${prefix} was closed before AWS answered.`));
        pending.delete(token);
      }
      await Promise.all(unsubscribers.splice(0).map((off) => off()));
    },
  };
}

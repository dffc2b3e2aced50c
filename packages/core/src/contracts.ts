import type { Message } from './message.js';

declare global {
  // The same declaration RxJS makes, so `[Symbol.observable]` types line up with `from()`.
  interface SymbolConstructor {
    readonly observable: symbol;
  }
}

/** The interop key RxJS, zen-observable and others look for; `'@@observable'` where the symbol is absent. */
export const observableKey = ((typeof Symbol === 'function' && Symbol.observable) ||
  '@@observable') as typeof Symbol.observable;

export interface Observer<T> {
  next: (value: T) => void;
  error: (err: unknown) => void;
  complete: () => void;
}

export interface Unsubscribable {
  unsubscribe(): void;
}

/** The minimal observable contract; RxJS `from(source)` turns it into an `Observable`. */
export interface Subscribable<T> {
  subscribe(observer: Partial<Observer<T>>): Unsubscribable;
  [Symbol.observable](): Subscribable<T>;
}

/** What a connector offers as a source of messages. */
export type MessageSource<Payload = unknown> = Subscribable<Message<Payload>>;

/** What a connector offers as a destination. */
export interface MessageSink<Payload = unknown> {
  /**
   * Sends one message. Resolves once the receiver acknowledged it (QoS 1 PUBACK, QoS 2 PUBCOMP; for QoS 0
   * once it was handed to the transport). Rejects with a retryable `IiotError` when it cannot be sent now.
   */
  publish(message: Message<Payload>): Promise<void>;
}

/**
 * Builds a `Subscribable` from a subscribe function that returns its teardown, the way `new Observable` does,
 * without depending on RxJS. Observer calls after an error, completion or unsubscription are ignored.
 */
export function createSubscribable<T>(
  subscribe: (observer: Observer<T>) => (() => void) | undefined,
): Subscribable<T> {
  const subscribable = {
    subscribe(partial: Partial<Observer<T>>): Unsubscribable {
      let closed = false;
      let teardown: (() => void) | undefined;
      const close = () => {
        if (closed) return;
        closed = true;
        teardown?.();
      };
      const observer: Observer<T> = {
        next: (value) => {
          if (!closed) partial.next?.(value);
        },
        error: (err) => {
          if (closed) return;
          close();
          partial.error?.(err);
        },
        complete: () => {
          if (closed) return;
          close();
          partial.complete?.();
        },
      };
      teardown = subscribe(observer);
      if (closed) teardown?.();
      return { unsubscribe: close };
    },
  } as Subscribable<T>;
  // The interop key may be a string at run time, which an object literal's type cannot express.
  (subscribable as unknown as Record<PropertyKey, unknown>)[observableKey] = () => subscribable;
  return subscribable;
}

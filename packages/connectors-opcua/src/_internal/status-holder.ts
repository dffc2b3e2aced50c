import { type ConnectorStatus, createSubscribable, type Observer, type Subscribable } from '@iiot/core';

/** The current connection status and its observers. */
export interface StatusHolder {
  readonly status: Subscribable<ConnectorStatus>;
  current(): ConnectorStatus;
  set(status: ConnectorStatus): void;
  complete(): void;
}

/** Holds a status; new observers get the current one first. */
export function createStatusHolder(initial: ConnectorStatus): StatusHolder {
  let current = initial;
  const observers = new Set<Observer<ConnectorStatus>>();
  return {
    status: createSubscribable<ConnectorStatus>((observer) => {
      observers.add(observer);
      observer.next(current);
      return () => observers.delete(observer);
    }),
    current: () => current,
    set(status) {
      current = status;
      for (const o of [...observers]) o.next(status);
    },
    complete() {
      for (const o of [...observers]) o.complete();
      observers.clear();
    },
  };
}

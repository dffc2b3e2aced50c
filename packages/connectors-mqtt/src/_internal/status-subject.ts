import { createSubscribable, type Observer, type Subscribable } from '@iiot/core';

/** Holds a current value and tells observers about it at once and on every change, like a BehaviorSubject. */
export class StatusSubject<T> {
  readonly #observers = new Set<Observer<T>>();
  #value: T;

  readonly observable: Subscribable<T> = createSubscribable((observer) => {
    this.#observers.add(observer);
    observer.next(this.#value);
    return () => {
      this.#observers.delete(observer);
    };
  });

  constructor(initial: T) {
    this.#value = initial;
  }

  get value(): T {
    return this.#value;
  }

  set(value: T): void {
    this.#value = value;
    for (const observer of [...this.#observers]) observer.next(value);
  }

  complete(): void {
    for (const observer of [...this.#observers]) observer.complete();
  }
}

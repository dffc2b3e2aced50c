import { from, take, toArray, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createSubscribable, type Message } from '../src/index.js';

describe('createSubscribable', () => {
  it('is accepted by RxJS from() and torn down on unsubscribe', async () => {
    let tornDown = false;
    const source = createSubscribable<Message>((observer) => {
      let n = 0;
      const timer = setInterval(() => observer.next({ topic: 't', payload: n++, timestamp: Date.now() }), 1);
      return () => {
        clearInterval(timer);
        tornDown = true;
      };
    });
    const payloads = await firstValueFrom(from(source).pipe(take(3), toArray()));
    expect(payloads.map((m) => m.payload)).toEqual([0, 1, 2]);
    expect(tornDown).toBe(true);
  });

  it('ignores calls after completion and runs teardown once', () => {
    let teardowns = 0;
    const seen: unknown[] = [];
    const source = createSubscribable<number>((observer) => {
      observer.next(1);
      observer.complete();
      observer.next(2);
      observer.error(new Error('late'));
      return () => teardowns++;
    });
    const sub = source.subscribe({ next: (v) => seen.push(v), complete: () => seen.push('done'), error: (e) => seen.push(e) });
    sub.unsubscribe();
    expect(seen).toEqual([1, 'done']);
    expect(teardowns).toBe(1);
  });
});

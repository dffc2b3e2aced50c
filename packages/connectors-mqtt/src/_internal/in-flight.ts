import type { MqttError } from '../errors.js';
import type { MqttClock } from '../options.js';

/** The publishes waiting for their acknowledgement, so a lost connection can give them up at once. */
export class InFlight {
  readonly #rejections = new Set<(error: MqttError) => void>();
  #onSettled: (() => void) | undefined;

  get size(): number {
    return this.#rejections.size;
  }

  /** Tracks one publish; the returned function settles it and says false when it had already been given up. */
  track(reject: (error: MqttError) => void): () => boolean {
    this.#rejections.add(reject);
    return () => {
      if (!this.#rejections.delete(reject)) return false;
      this.#onSettled?.();
      return true;
    };
  }

  /** Rejects every publish still waiting. */
  rejectAll(error: MqttError): void {
    const rejections = [...this.#rejections];
    this.#rejections.clear();
    for (const reject of rejections) reject(error);
  }

  /** Resolves once nothing is in flight, or after `limitMs`. */
  async drain(clock: MqttClock, limitMs: number): Promise<void> {
    if (this.#rejections.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = clock.setTimeout(resolve, limitMs);
      this.#onSettled = () => {
        if (this.#rejections.size > 0) return;
        clock.clearTimeout(timer);
        resolve();
      };
    });
    this.#onSettled = undefined;
  }
}

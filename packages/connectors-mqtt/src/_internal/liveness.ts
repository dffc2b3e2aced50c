import type { MqttLiveness } from '../mqtt-connection.js';

/** Counts messages each way and remembers when the last one moved. */
export class LivenessCounter {
  #received = 0;
  #sent = 0;
  #lastReceivedAt: number | undefined;
  #lastSentAt: number | undefined;

  received(now: number): void {
    this.#received++;
    this.#lastReceivedAt = now;
  }

  sent(now: number): void {
    this.#sent++;
    this.#lastSentAt = now;
  }

  snapshot(now: number): MqttLiveness {
    const age = (at: number | undefined) => (at === undefined ? undefined : now - at);
    return {
      received: this.#received,
      sent: this.#sent,
      lastReceivedAt: this.#lastReceivedAt,
      lastSentAt: this.#lastSentAt,
      receivedAgeMs: age(this.#lastReceivedAt),
      sentAgeMs: age(this.#lastSentAt),
    };
  }
}

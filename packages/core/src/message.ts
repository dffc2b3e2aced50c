/** MQTT quality of service. */
export type QoS = 0 | 1 | 2;

/** The unit that flows through every pipeline: what a connector received or a rule produced. */
export interface Message<Payload = unknown> {
  /** The concrete topic (never a filter). */
  topic: string;
  /** Raw bytes as received (`Uint8Array`), or a value once parsed or transformed. */
  payload: Payload;
  /** Milliseconds since the epoch at which the message entered the system. */
  timestamp: number;
  qos?: QoS;
  retain?: boolean;
  /** Values captured by named wildcards of the subscription, and set by rules. */
  vars?: Record<string, string>;
}

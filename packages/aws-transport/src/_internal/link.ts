/** PEM text: one block, or several (a CA bundle). */
export type Pem = string | Buffer | string[] | Buffer[];

/** Where and how one MQTT connection to AWS IoT (or a Greengrass core) is made. */
export interface LinkOptions {
  host: string;
  port: number;
  /** Offer ALPN `x-amzn-mqtt-ca` (AWS IoT's port 443). */
  alpn: boolean;
  ca: Pem;
  cert: Pem;
  key: Pem;
  clientId: string;
  keepaliveSeconds: number;
  protocolVersion: 4 | 5;
  reconnectPeriodMs: number;
  connectTimeoutMs: number;
}

/**
 * The little the transport needs from an MQTT client. Keeping it this small lets the transport run on any
 * MQTT connection implementation without knowing its API.
 */
export interface MqttLink {
  readonly connected: boolean;
  /**
   * Resolves on PUBACK (QoS 1) or once written (QoS 0). Rejects with a `retryable` error when the connection
   * drops first; the lane then sends it again after the reconnection.
   */
  publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }): Promise<void>;
  /**
   * Subscribes (once connected, and again after every reconnection); `listener` gets the messages matching
   * `filter`. Resolves to a function that unsubscribes.
   */
  subscribe(filter: string, qos: 0 | 1, listener: MessageListener): Promise<() => Promise<void>>;
  /** Every message received, whatever the subscription (for the throttle, which counts them all). */
  onMessage(listener: MessageListener): () => void;
  onConnectionChange(listener: (connected: boolean, error?: Error) => void): () => void;
  close(): Promise<void>;
}

export type MessageListener = (topic: string, payload: Buffer) => void;

export type LinkFactory = (options: LinkOptions) => MqttLink;

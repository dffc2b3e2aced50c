// A minimal MQTT 3.1.1 client for benchmark apparatus (load generators and receivers), not for products: QoS 0
// only, no keep-alive, no reconnect. It costs a few microseconds per message where MQTT.js costs tens, so the
// sender and receiver leave the cores to the bridge being measured.
import { connect, type Socket } from 'node:net';

/** A plain-TCP MQTT connection that publishes and receives at QoS 0. */
export interface WireClient {
  /** Queues PUBLISH packets built with `encodePublish` (one write for many messages). */
  write(packets: Buffer): boolean;
  /** Subscribes at QoS 0; resolves on SUBACK. */
  subscribe(filter: string): Promise<void>;
  /** Sends DISCONNECT and resolves once everything written has been flushed and the socket is closed. */
  end(): Promise<void>;
}

const remainingLength = (n: number): number[] => {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return bytes;
};

const packet = (header: number, body: Buffer) => Buffer.concat([Buffer.from([header, ...remainingLength(body.length)]), body]);
const utf8 = (s: string) => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};

/** One QoS 0 PUBLISH packet. */
export function encodePublish(topic: string, payload: string): Buffer {
  return packet(0x30, Buffer.concat([utf8(topic), Buffer.from(payload)]));
}

/** Connects to `mqtt://host:port`; `onMessage` receives every PUBLISH (topic and payload bytes). */
export async function connectWire(url: string, clientId: string, onMessage: (topic: string, payload: Buffer) => void = () => {}): Promise<WireClient> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect({ host: hostname, port: Number(port), noDelay: true });
  const waiting = new Map<number, () => void>(); // packet type → resolver (CONNACK 2, SUBACK 9)
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    while (pending.length - at >= 2) {
      let length = 0;
      let multiplier = 1;
      let i = at + 1;
      for (;;) {
        if (i >= pending.length) break;
        const byte = pending[i++]!;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if (!(byte & 0x80)) break;
      }
      if (i + length > pending.length || (pending[i - 1]! & 0x80) !== 0) break;
      const type = pending[at]! >> 4;
      if (type === 3) {
        const topicLength = pending.readUInt16BE(i);
        const qosBytes = pending[at]! & 0x06 ? 2 : 0;
        const payloadStart = i + 2 + topicLength + qosBytes;
        onMessage(pending.toString('utf8', i + 2, i + 2 + topicLength), pending.subarray(payloadStart, i + length));
      } else {
        waiting.get(type)?.();
      }
      at = i + length;
    }
    pending = pending.subarray(at);
  });
  const reply = (type: number) => new Promise<void>((resolve) => waiting.set(type, resolve));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const connack = reply(2);
  // CONNECT: protocol "MQTT" level 4, clean session, keep-alive 0 (none).
  socket.write(packet(0x10, Buffer.concat([utf8('MQTT'), Buffer.from([4, 0x02, 0, 0]), utf8(clientId)])));
  await connack;
  return {
    write: (packets) => socket.write(packets),
    async subscribe(filter) {
      const suback = reply(9);
      socket.write(packet(0x82, Buffer.concat([Buffer.from([0, 1]), utf8(filter), Buffer.from([0])])));
      await suback;
    },
    end: () =>
      new Promise<void>((resolve) => {
        socket.end(Buffer.from([0xe0, 0]), () => resolve());
      }),
  };
}

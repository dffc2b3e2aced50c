import { createServer, type Server } from 'node:http';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { createMqttConnection } from '../src/index.js';
import { collect, text } from './fixtures/helpers.js';

let broker: Aedes;
let server: Server;
let port: number;

beforeAll(async () => {
  broker = await Aedes.createBroker();
  server = createServer();
  const wss = new WebSocketServer({ server, path: '/mqtt' });
  wss.on('connection', (socket) => broker.handle(createWebSocketStream(socket)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await new Promise<void>((resolve) => broker.close(() => resolve()));
});

it('connects over WebSocket (scheme ws, path /mqtt by default)', async () => {
  const c = createMqttConnection({ host: '127.0.0.1', port, scheme: 'ws' });
  expect(c.endpoint).toBe(`ws://127.0.0.1:${port}`);
  await c.connect();
  const received = collect(c.subscribe('ws/#', { qos: 1 }));
  await c.publish({ topic: 'ws/hello', payload: 'over websocket', qos: 1, timestamp: Date.now() });
  expect(text((await received.until(1))[0])).toBe('over websocket');
  await c.close();
});

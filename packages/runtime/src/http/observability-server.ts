import { createServer, type Server } from 'node:http';
import { redact } from '@iiot/core';
import type { ServiceStatus } from '../service-instance.js';
import { renderPrometheus } from './prometheus.js';

/** Where the status endpoints listen. */
export interface HttpOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 9464 */
  port?: number;
}

/** The running observability server. */
export interface ObservabilityServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `/healthz` (200 once running), `/status` (JSON with every service, resource, deviation, buffer depth
 * and last-forwarded age) and `/metrics` (Prometheus text). The status passes through `redact` before it is served.
 */
export async function startObservabilityServer(
  options: HttpOptions,
  status: () => { services: ServiceStatus[] },
): Promise<ObservabilityServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/status') {
      const now = Date.now();
      const body = status();
      for (const service of body.services) {
        for (const r of service.resources) {
          if (r.flow) Object.assign(r.flow, { lastForwardedAgeMs: r.flow.lastForwardedAt ? now - r.flow.lastForwardedAt : null });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(redact(body), null, 2));
    } else if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderPrometheus(status().services));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz, /status or /metrics\n');
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9464, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

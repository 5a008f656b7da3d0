import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceMetrics } from './service-metrics.js';

export interface MetricsServerOptions {
  metrics: ServiceMetrics;
  port: number;
  /** Where to listen; all interfaces by default, so that Prometheus can scrape a pod. */
  host?: string;
  /** False once the process drains: GET /health then answers 503, so probes take it out of rotation. */
  ready: () => boolean;
}

/** A listening metrics port. */
export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one the system chose for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The small internal HTTP listener of a service: GET /metrics (Prometheus text) and GET /health
 * (200 `{"status":"ok"}`, 503 `{"status":"draining"}` once shutting down). It is a port of its
 * own, never the public one, so that metrics are not exposed where clients reach the gateway;
 * it stays open while the process drains, so that the draining can be watched and probed.
 */
export async function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((request, response) => void answer(options, request, response));
  // Scrapers keep connections alive; they must not hold the process open at its end.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

async function answer(options: MetricsServerOptions, request: IncomingMessage, response: ServerResponse) {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return send(response, 405, 'application/json', JSON.stringify({ status: 'method not allowed' }), {
      Allow: 'GET, HEAD',
    });
  }
  if (path === '/metrics') {
    try {
      const { contentType, body } = await options.metrics.exposition();
      return send(response, 200, contentType, body);
    } catch {
      // A collect callback that failed (a queue that did not answer, say): no partial page.
      return send(response, 500, 'text/plain', 'metrics could not be collected\n');
    }
  }
  if (path === '/health') {
    const ready = options.ready();
    return send(response, ready ? 200 : 503, 'application/json', JSON.stringify({ status: ready ? 'ok' : 'draining' }));
  }
  return send(response, 404, 'application/json', JSON.stringify({ status: 'not found' }));
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive connections of scrapers would hold close() up until they time out.
    server.closeAllConnections();
  });
}

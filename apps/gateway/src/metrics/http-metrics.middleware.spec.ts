import { ServiceMetrics } from '@lexy/server-metrics';
import express from 'express';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActiveDownloads } from '../files/active-downloads.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { httpMetricsMiddleware, nameRoute } from './http-metrics.middleware.js';

/** An app with a route template, a middleware that answers by itself, and nothing else. */
async function startApp() {
  const metrics = new ServiceMetrics('gateway', { processMetrics: false });
  const app = express();
  app.use(httpMetricsMiddleware(new GatewayMetrics(metrics, new ActiveDownloads())));
  app.use((request, response, next) => {
    if (request.path !== '/api/v1/files/pickup/REMEMBERED') return next();
    nameRoute(response, '/api/v1/files/pickup/:code');
    response.json({ file: {} });
  });
  app.get('/api/v1/files/:id', (request, response) => {
    if (request.params['id'] === 'cut') {
      response.writeHead(200, { 'Content-Length': '100' });
      response.write('partial');
      response.destroy();
      return;
    }
    response.status(request.params['id'] === 'missing' ? 404 : 200).json({});
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const samples = async () => {
    const { body } = await metrics.exposition();
    return body
      .split('\n')
      .filter((line) => line.startsWith('lexy_http_request_duration_seconds_count'))
      .map((line) => line.slice('lexy_http_request_duration_seconds_count'.length));
  };
  return { server, base, samples };
}

/** GET `url`; resolves when the exchange is over, cut or not. */
function get(url: string, method = 'GET'): Promise<void> {
  return new Promise((resolve) => {
    httpRequest(url, { method, agent: false }, (response) => {
      response.resume();
      response.on('end', resolve);
      response.on('error', () => resolve());
      response.on('aborted', resolve);
    })
      .on('error', () => resolve())
      .end();
  });
}

describe('httpMetricsMiddleware', () => {
  it('labels requests by route template, never by path, and by status class', async () => {
    const { server, base, samples } = await startApp();
    try {
      await get(`${base}/api/v1/files/0b6c3f7e`);
      await get(`${base}/api/v1/files/another-id`);
      await get(`${base}/api/v1/files/missing`);
      await get(`${base}/api/v1/files/pickup/REMEMBERED`);
      await get(`${base}/api/v1/nothing/here`);
      await get(`${base}/send`);
      await get(`${base}/api/v1/files/x`, 'PROPFIND');
      // The response's close may come just after the client saw its end.
      await new Promise((resolve) => setImmediate(resolve));
      expect((await samples()).sort()).toEqual(
        [
          '{method="GET",route="/api/v1/files/:id",status_class="2xx"} 2',
          '{method="GET",route="/api/v1/files/:id",status_class="4xx"} 1',
          '{method="GET",route="/api/v1/files/pickup/:code",status_class="2xx"} 1',
          '{method="GET",route="unmatched",status_class="4xx"} 1',
          '{method="GET",route="web-app",status_class="4xx"} 1',
          '{method="other",route="unmatched",status_class="4xx"} 1',
        ].sort(),
      );
    } finally {
      server.close();
    }
  });

  it('counts a response that did not end whole as aborted', async () => {
    const { server, base, samples } = await startApp();
    try {
      await get(`${base}/api/v1/files/cut`);
      await new Promise((resolve) => setImmediate(resolve));
      expect(await samples()).toEqual(['{method="GET",route="/api/v1/files/:id",status_class="aborted"} 1']);
    } finally {
      server.close();
    }
  });
});

import { METRIC, serveMetrics, ServiceMetrics, type MetricsServer } from '../src/index.js';

describe('serveMetrics', () => {
  let server: MetricsServer;
  let ready = true;
  let url: string;
  const metrics = new ServiceMetrics('quotas', { processMetrics: false });

  beforeAll(async () => {
    metrics.counter({ name: METRIC.gatewayDownloadBytes, help: 'bytes' }).inc(42);
    server = await serveMetrics({ metrics, port: 0, host: '127.0.0.1', ready: () => ready });
    url = `http://127.0.0.1:${server.port}`;
  });

  afterAll(() => server.close());

  it('serves the Prometheus text at /metrics', async () => {
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('lexy_gateway_download_bytes_total 42');
  });

  it('answers /health with 200 while ready and 503 once draining', async () => {
    ready = true;
    const up = await fetch(`${url}/health`);
    expect([up.status, await up.json()]).toEqual([200, { status: 'ok' }]);
    ready = false;
    const draining = await fetch(`${url}/health`);
    expect([draining.status, await draining.json()]).toEqual([503, { status: 'draining' }]);
  });

  it('knows nothing else', async () => {
    expect((await fetch(`${url}/api/v1/files`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('answers a failing collection with 500 and no partial page', async () => {
    const failing = new ServiceMetrics('auth', { processMetrics: false });
    failing.gauge({
      name: METRIC.relaySessions,
      help: 'fails',
      collect() {
        throw new Error('no answer');
      },
    });
    const other = await serveMetrics({ metrics: failing, port: 0, host: '127.0.0.1', ready: () => true });
    try {
      const response = await fetch(`http://127.0.0.1:${other.port}/metrics`);
      expect(response.status).toBe(500);
    } finally {
      await other.close();
    }
  });
});

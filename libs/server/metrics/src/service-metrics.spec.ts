import { METRIC } from './metric-names.js';
import { ServiceMetrics, statusClass } from './service-metrics.js';

describe('ServiceMetrics', () => {
  it('has the process metrics under the service prefix and the draining gauge at 0', async () => {
    const { body } = await new ServiceMetrics('files').exposition();
    expect(body).toContain('lexy_files_process_cpu_seconds_total');
    expect(body).toContain('lexy_files_nodejs_eventloop_lag_seconds');
    expect(body).toMatch(/^lexy_shutdown_draining 0$/m);
  });

  it('leaves the process metrics out when asked to', async () => {
    const { body } = await new ServiceMetrics('files', { processMetrics: false }).exposition();
    expect(body).not.toContain('process_cpu');
  });

  it('shows the draining once marked', async () => {
    const metrics = new ServiceMetrics('auth', { processMetrics: false });
    metrics.markDraining();
    expect((await metrics.exposition()).body).toMatch(/^lexy_shutdown_draining 1$/m);
  });

  it('returns the metric made first when one name is asked for twice', async () => {
    const metrics = new ServiceMetrics('relay', { processMetrics: false });
    const first = metrics.counter({ name: METRIC.relayRelayedBytes, help: 'bytes', labelNames: ['receiver'] });
    const second = metrics.counter({ name: METRIC.relayRelayedBytes, help: 'bytes', labelNames: ['receiver'] });
    first.inc({ receiver: 'local' }, 5);
    second.inc({ receiver: 'local' }, 7);
    expect(second).toBe(first);
    expect((await metrics.exposition()).body).toContain('lexy_relay_relayed_bytes_total{receiver="local"} 12');
  });

  it('keeps two services’ registries apart', async () => {
    const one = new ServiceMetrics('auth', { processMetrics: false });
    const other = new ServiceMetrics('quotas', { processMetrics: false });
    one.gauge({ name: METRIC.relaySessions, help: 'sessions' }).set(3);
    expect((await other.exposition()).body).not.toContain(METRIC.relaySessions);
  });

  it('gives histograms the latency buckets unless told otherwise', async () => {
    const metrics = new ServiceMetrics('gateway', { processMetrics: false });
    metrics.histogram({ name: METRIC.httpRequestDuration, help: 'latency' }).observe(0.02);
    const { body } = await metrics.exposition();
    expect(body).toContain('lexy_http_request_duration_seconds_bucket{le="0.025"} 1');
    expect(body).toContain('lexy_http_request_duration_seconds_bucket{le="300"} 1');
  });
});

describe('statusClass', () => {
  it.each([
    [200, '2xx'],
    [204, '2xx'],
    [304, '3xx'],
    [404, '4xx'],
    [460, '4xx'],
    [503, '5xx'],
    [0, 'other'],
    [700, 'other'],
  ])('%i is %s', (status, expected) => {
    expect(statusClass(status)).toBe(expected);
  });
});

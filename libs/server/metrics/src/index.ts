export {
  METRIC,
  METRIC_SERVICES,
  processMetricsPrefix,
  SERVICE_METRICS,
  type MetricName,
  type MetricService,
} from './metric-names.js';
export { serveMetrics, type MetricsServer, type MetricsServerOptions } from './metrics-server.js';
export { LATENCY_BUCKETS, ServiceMetrics, statusClass } from './service-metrics.js';
export type { Counter, Gauge, Histogram } from 'prom-client';

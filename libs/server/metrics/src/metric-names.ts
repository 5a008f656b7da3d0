/**
 * Every metric the services register, by name. The services create their metrics with these
 * names, the Grafana dashboard (deploy/grafana/lexy-files.json) may query only these (its test
 * checks), and the end-to-end suite scrapes each service for the names listed for it below; so
 * neither the dashboard nor this list can drift from the code.
 *
 * Names shared by several services carry no service (the scrape's `job` label tells them apart);
 * a service's own metrics start with `lexy_<service>_`, and so do its process metrics.
 */
export const METRIC = {
  /** Histogram{method, route, status_class}: the gateway's HTTP requests, by route template. */
  httpRequestDuration: 'lexy_http_request_duration_seconds',
  /** Histogram{grpc_service, grpc_method, grpc_code}: calls served by a gRPC service. */
  grpcServerHandling: 'lexy_grpc_server_handling_seconds',
  /** Gauge: 1 from the termination signal until the process exits (it drains), else 0. */
  draining: 'lexy_shutdown_draining',

  /** Counter{via}: upload body bytes the gateway took in (`tus`, or `direct`: a multipart POST or a PUT). */
  gatewayUploadBytes: 'lexy_gateway_upload_bytes_total',
  /** Counter: download body bytes the gateway sent. */
  gatewayDownloadBytes: 'lexy_gateway_download_bytes_total',
  /** Gauge{via}: upload bodies being received now (tus PATCH or creation-with-upload; multipart POST or PUT). */
  gatewayActiveUploads: 'lexy_gateway_active_uploads',
  /** Gauge: downloads being streamed now. */
  gatewayActiveDownloads: 'lexy_gateway_active_downloads',
  /** Gauge: devices' WebSockets piped to the relay now. */
  gatewayWebSockets: 'lexy_gateway_websocket_connections',
  /** Counter{limiter, decision}: what the gateway's limiters decided (`allowed`, `refused`, `delayed`). */
  gatewayLimiterDecisions: 'lexy_gateway_limiter_decisions_total',

  /** Counter{receiver}: payload bytes relayed from senders connected here (receiver `local` or `peer`). */
  relayRelayedBytes: 'lexy_relay_relayed_bytes_total',
  /** Gauge: relayed streams this replica holds (their senders are connected here). */
  relaySessions: 'lexy_relay_sessions',
  /** Gauge: devices' WebSockets open on this replica, authenticated or not yet. */
  relayConnectedSockets: 'lexy_relay_connected_sockets',

  /** Counter{job, outcome}: runs of cleanup jobs. */
  cleanupJobRuns: 'lexy_cleanup_job_runs_total',
  /** Histogram{job}: how long cleanup jobs run. */
  cleanupJobDuration: 'lexy_cleanup_job_duration_seconds',
  /** Counter{job, action}: what cleanup jobs did. */
  cleanupItems: 'lexy_cleanup_items_total',
  /** Gauge{state}: the cleanup queue's jobs by state, read when scraped (queue depth). */
  cleanupQueueJobs: 'lexy_cleanup_queue_jobs',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The services that serve /metrics. */
export const METRIC_SERVICES = ['gateway', 'auth', 'files', 'quotas', 'relay', 'cleanup'] as const;
export type MetricService = (typeof METRIC_SERVICES)[number];

const GRPC_SERVICE: MetricName[] = [METRIC.grpcServerHandling, METRIC.draining];

/** What each service registers besides its process metrics (`lexy_<service>_process_…`, `…nodejs_…`). */
export const SERVICE_METRICS: Record<MetricService, readonly MetricName[]> = {
  gateway: [
    METRIC.httpRequestDuration,
    METRIC.draining,
    METRIC.gatewayUploadBytes,
    METRIC.gatewayDownloadBytes,
    METRIC.gatewayActiveUploads,
    METRIC.gatewayActiveDownloads,
    METRIC.gatewayWebSockets,
    METRIC.gatewayLimiterDecisions,
  ],
  auth: GRPC_SERVICE,
  files: GRPC_SERVICE,
  quotas: GRPC_SERVICE,
  relay: [...GRPC_SERVICE, METRIC.relayRelayedBytes, METRIC.relaySessions, METRIC.relayConnectedSockets],
  cleanup: [
    METRIC.draining,
    METRIC.cleanupJobRuns,
    METRIC.cleanupJobDuration,
    METRIC.cleanupItems,
    METRIC.cleanupQueueJobs,
  ],
};

/** The prefix of a service's process metrics (prom-client's defaults). */
export function processMetricsPrefix(service: string): string {
  return `lexy_${service}_`;
}

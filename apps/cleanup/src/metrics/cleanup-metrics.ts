import { METRIC, ServiceMetrics, type Counter, type Histogram } from '@lexy/server-metrics';

/** Where the queue's job counts come from at scrape time; null when the queue cannot say. */
export type QueueCounts = () => Promise<Record<string, number> | null>;

/**
 * The worker's Prometheus metrics, on the process's ServiceMetrics (served at GET /metrics):
 *
 * - lexy_cleanup_job_runs_total{job,outcome}: runs by job and `success` / `failure`;
 * - lexy_cleanup_job_duration_seconds{job}: how long runs take;
 * - lexy_cleanup_items_total{job,action}: what the runs did (expired, purged, released_bytes, ...);
 * - lexy_cleanup_queue_jobs{state}: the cleanup queue's jobs by state (its depth), read when scraped;
 * - lexy_shutdown_draining and the process metrics of prom-client, prefixed lexy_cleanup_.
 */
export class CleanupMetrics {
  private readonly runs: Counter<'job' | 'outcome'>;
  private readonly duration: Histogram<'job'>;
  private readonly items: Counter<'job' | 'action'>;

  constructor(
    queueCounts: QueueCounts,
    readonly metrics: ServiceMetrics = new ServiceMetrics('cleanup'),
  ) {
    this.runs = metrics.counter({
      name: METRIC.cleanupJobRuns,
      help: 'Runs of cleanup jobs, by job and outcome (success or failure).',
      labelNames: ['job', 'outcome'],
    });
    this.duration = metrics.histogram({
      name: METRIC.cleanupJobDuration,
      help: 'Duration of cleanup job runs.',
      labelNames: ['job'],
      buckets: [0.01, 0.05, 0.25, 1, 5, 15, 60, 300, 1800],
    });
    this.items = metrics.counter({
      name: METRIC.cleanupItems,
      help: 'What cleanup jobs did, by job and action (files expired or purged, bytes released, orphans deleted, ...).',
      labelNames: ['job', 'action'],
    });
    metrics.gauge({
      name: METRIC.cleanupQueueJobs,
      help: 'Jobs in the cleanup queue by state, as the queue reports them when scraped.',
      labelNames: ['state'],
      async collect() {
        const counts = await queueCounts();
        // Stale numbers would look like a stuck queue: without an answer, the gauge is empty.
        this.reset();
        for (const [state, count] of Object.entries(counts ?? {})) this.set({ state }, count);
      },
    });
  }

  recordRun(job: string, outcome: 'success' | 'failure', seconds: number, counts: Record<string, number>): void {
    this.runs.inc({ job, outcome });
    this.duration.observe({ job }, seconds);
    for (const [action, amount] of Object.entries(counts)) {
      if (amount > 0) this.items.inc({ job, action }, amount);
    }
  }

  /** The Prometheus text exposition of every metric, and its content type. */
  exposition(): Promise<{ contentType: string; body: string }> {
    return this.metrics.exposition();
  }
}

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Where the queue's job counts come from at scrape time; null when the queue cannot say. */
export type QueueCounts = () => Promise<Record<string, number> | null>;

/**
 * The worker's Prometheus metrics, in a registry of its own (served at GET /metrics):
 *
 * - lexy_cleanup_job_runs_total{job,outcome}: runs by job and `success` / `failure`;
 * - lexy_cleanup_job_duration_seconds{job}: how long runs take;
 * - lexy_cleanup_items_total{job,action}: what the runs did (expired, purged, released_bytes, ...);
 * - lexy_cleanup_queue_jobs{state}: the cleanup queue's jobs by state, read when scraped;
 * - the process metrics of prom-client, prefixed lexy_cleanup_.
 */
export class CleanupMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({
    name: 'lexy_cleanup_job_runs_total',
    help: 'Runs of cleanup jobs, by job and outcome (success or failure).',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'lexy_cleanup_job_duration_seconds',
    help: 'Duration of cleanup job runs.',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.25, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });
  private readonly items = new Counter({
    name: 'lexy_cleanup_items_total',
    help: 'What cleanup jobs did, by job and action (files expired or purged, bytes released, orphans deleted, ...).',
    labelNames: ['job', 'action'] as const,
    registers: [this.registry],
  });

  constructor(queueCounts: QueueCounts) {
    new Gauge({
      name: 'lexy_cleanup_queue_jobs',
      help: 'Jobs in the cleanup queue by state, as the queue reports them when scraped.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await queueCounts();
        // Stale numbers would look like a stuck queue: without an answer, the gauge is empty.
        this.reset();
        for (const [state, count] of Object.entries(counts ?? {})) this.set({ state }, count);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'lexy_cleanup_' });
  }

  recordRun(job: string, outcome: 'success' | 'failure', seconds: number, counts: Record<string, number>): void {
    this.runs.inc({ job, outcome });
    this.duration.observe({ job }, seconds);
    for (const [action, amount] of Object.entries(counts)) {
      if (amount > 0) this.items.inc({ job, action }, amount);
    }
  }

  /** The Prometheus text exposition of every metric, and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

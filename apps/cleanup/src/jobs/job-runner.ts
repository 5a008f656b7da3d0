import { runWithRequestContext } from '@lexy/server-logging';
import { Inject, Injectable } from '@nestjs/common';
import { CLEANUP_LOG, type Logger } from '../logging.js';
import { CleanupMetrics } from '../metrics/cleanup-metrics.js';
import type { JobName, JobRun } from './job-run.js';

/**
 * Runs one job: inside a request context named after the queue job (its id is in every log
 * line and travels with every gRPC call), counted and timed in the metrics, and summed up in
 * one log line: at info when it did something, at debug when there was nothing to do, at
 * error when it failed (with what it did before). A failure is rethrown for the queue.
 */
@Injectable()
export class JobRunner {
  constructor(
    private readonly metrics: CleanupMetrics,
    @Inject(CLEANUP_LOG) private readonly log: Logger,
  ) {}

  async execute(
    job: JobName,
    requestId: string,
    signal: AbortSignal,
    work: (run: JobRun) => Promise<void>,
  ): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const run: JobRun = {
      signal,
      count: (action, amount) => {
        if (amount !== 0) counts[action] = (counts[action] ?? 0) + amount;
      },
    };
    const startedAt = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - startedAt) / 1e9;
    return runWithRequestContext({ requestId }, async () => {
      try {
        await work(run);
      } catch (error) {
        const elapsed = seconds();
        this.metrics.recordRun(job, 'failure', elapsed, counts);
        this.log.error({ job, counts, seconds: round(elapsed), err: error }, `cleanup job ${job} failed`);
        throw error;
      }
      const elapsed = seconds();
      this.metrics.recordRun(job, 'success', elapsed, counts);
      const level = Object.keys(counts).length > 0 ? 'info' : 'debug';
      this.log[level]({ job, counts, seconds: round(elapsed) }, `cleanup job ${job} done`);
      return counts;
    });
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

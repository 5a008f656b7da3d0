import { setTimeout as sleep } from 'node:timers/promises';
import { cluster, metric, sum } from './support/cluster.js';

// Two cleanup workers consume one queue whose job schedulers both upsert under the same names:
// each tick of each job runs once per interval on whichever worker is free, never once per worker.

/** The ticks the cleanup worker schedules (CLEANUP_TICKS in @lexy/server-queue). */
const JOBS = ['expire', 'purge', 'abandon', 'reconcile', 'expire-offers'];
const WINDOW_MS = 6_000;

/** Each worker's runs of each job so far (success and failure): runs[worker][job]. */
async function runs(): Promise<number[][]> {
  return Promise.all(
    cluster().cleanups.map((worker) =>
      Promise.all(JOBS.map((job) => metric(worker.url, 'lexy_cleanup_job_runs_total', { job }))),
    ),
  );
}

describe('cleanup with two workers', () => {
  it('runs each job once per interval across both workers, and both take ticks', async () => {
    const interval = cluster().cleanupIntervalSeconds;
    const startedAt = Date.now();
    const before = await runs();
    await sleep(WINDOW_MS);
    const after = await runs();
    const elapsedSeconds = (Date.now() - startedAt) / 1000;

    const byWorker = after.map((jobs, worker) => jobs.map((count, job) => count - before[worker]![job]!));
    const byJob = JOBS.map((_, job) => sum(byWorker.map((jobs) => jobs[job]!)));
    // At most one run per interval that began in the window (floor + 1 slots fit in it), plus
    // one already running when it opened; workers that each scheduled their own ticks would
    // run about twice as many.
    const atMost = Math.floor(elapsedSeconds / interval) + 2;
    for (const [job, count] of byJob.entries()) {
      expect({ job: JOBS[job], count, withinBound: count <= atMost }).toEqual({
        job: JOBS[job],
        count,
        withinBound: true,
      });
      expect(count).toBeGreaterThanOrEqual(1);
    }
    // The one queue hands ticks to whichever worker is free: both took some.
    expect(byWorker.map((jobs) => sum(jobs) > 0)).toEqual([true, true]);
  });
});

import { createLogger } from '@lexy/server-logging';
import { currentRequestContext } from '@lexy/server-logging';
import { Writable } from 'node:stream';
import { CleanupMetrics } from '../metrics/cleanup-metrics.js';
import { JobRunner } from './job-runner.js';

function setup(queueCounts: Record<string, number> | null = { waiting: 1, active: 2 }) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const metrics = new CleanupMetrics(async () => queueCounts);
  return { lines, metrics, runner: new JobRunner(metrics, createLogger('cleanup', 'debug', sink)) };
}

const scraped = async (metrics: CleanupMetrics) => (await metrics.exposition()).body;

describe('JobRunner', () => {
  it('runs a job in its request context, counts it and logs one line with what it did', async () => {
    const { lines, metrics, runner } = setup();
    let requestId: string | undefined;

    const counts = await runner.execute('purge', 'cleanup-job-1', new AbortController().signal, async (run) => {
      requestId = currentRequestContext()?.requestId;
      run.count('purged', 2);
      run.count('released_bytes', 2048);
      run.count('purged', 1);
    });

    expect(requestId).toBe('cleanup-job-1');
    expect(counts).toEqual({ purged: 3, released_bytes: 2048 });
    const body = await scraped(metrics);
    expect(body).toContain('lexy_cleanup_job_runs_total{job="purge",outcome="success"} 1');
    expect(body).toContain('lexy_cleanup_items_total{job="purge",action="purged"} 3');
    expect(body).toContain('lexy_cleanup_items_total{job="purge",action="released_bytes"} 2048');
    expect(body).toContain('lexy_cleanup_job_duration_seconds_count{job="purge"} 1');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        job: 'purge',
        counts: { purged: 3, released_bytes: 2048 },
        requestId: 'cleanup-job-1',
        msg: 'cleanup job purge done',
      }),
    ]);
  });

  it('logs a run that found nothing to do at debug', async () => {
    const { lines, runner } = setup();
    await runner.execute('expire', 'r', new AbortController().signal, async () => undefined);
    expect(lines.map((line) => line['level'])).toEqual(['debug']);
  });

  it('counts, logs and rethrows a failure, keeping what the run did before it', async () => {
    const { lines, metrics, runner } = setup();
    const failing = runner.execute('abandon', 'r', new AbortController().signal, async (run) => {
      run.count('abandoned', 4);
      throw new Error('files unavailable');
    });
    await expect(failing).rejects.toThrow('files unavailable');
    const body = await scraped(metrics);
    expect(body).toContain('lexy_cleanup_job_runs_total{job="abandon",outcome="failure"} 1');
    expect(body).toContain('lexy_cleanup_items_total{job="abandon",action="abandoned"} 4');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        counts: { abandoned: 4 },
        err: expect.objectContaining({ message: 'files unavailable' }),
      }),
    ]);
  });
});

describe('CleanupMetrics', () => {
  it('reports the queue by state when scraped, and nothing while the queue does not answer', async () => {
    const { metrics } = setup({ waiting: 3, failed: 1 });
    const body = await scraped(metrics);
    expect(body).toContain('lexy_cleanup_queue_jobs{state="waiting"} 3');
    expect(body).toContain('lexy_cleanup_queue_jobs{state="failed"} 1');
    expect(body).toContain('lexy_cleanup_process_cpu_seconds_total');

    const { metrics: silent } = setup(null);
    expect(await scraped(silent)).not.toMatch(/^lexy_cleanup_queue_jobs\{/m);
  });
});

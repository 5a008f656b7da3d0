import {
  CLEANUP_QUEUE,
  CLEANUP_TICKS,
  createRedisConnection,
  createWorker,
  PURGE_FILES_JOB,
  type CleanupTick,
  type PurgeFilesJobData,
} from '@lexy/server-queue';
import { acceptRequestId } from '@lexy/server-logging';
import { ShutdownState } from '@lexy/server-shutdown';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLEANUP_CONFIG, type CleanupConfig } from '../config/cleanup.config.js';
import { AbandonJob } from '../jobs/abandon.job.js';
import { ExpireOffersJob } from '../jobs/expire-offers.job.js';
import { ExpireJob } from '../jobs/expire.job.js';
import { isId } from '../jobs/ids.js';
import type { JobRun } from '../jobs/job-run.js';
import { JobRunner } from '../jobs/job-runner.js';
import { PurgeJob } from '../jobs/purge.job.js';
import { ReconcileJob } from '../jobs/reconcile.job.js';
import { CLEANUP_LOG, type Logger } from '../logging.js';
import { within } from '../within.js';
import { CleanupQueue } from './cleanup-queue.js';

/** Two jobs at once: a long reconcile does not hold up an owner's deletion or the other ticks. */
const CONCURRENCY = 2;

/**
 * Ticks are not retried (the next one comes within an interval); finished ones are trimmed.
 * Owner deletions (PURGE_FILES_JOB) come with the files service's options.
 */
const TICK_JOB_OPTIONS = { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } };

/** The longest wait between two attempts to schedule the ticks when Redis refuses. */
const MAX_SCHEDULE_RETRY_MS = 30_000;
/** How often a lasting Redis problem is reported again. */
const ERROR_REPORT_INTERVAL_MS = 60_000;
/** At shutdown: how long closing the BullMQ worker may take, after the running jobs ended their batch. */
const CLOSE_WAIT_MS = 5_000;

type Handler = (run: JobRun, job: Job) => Promise<void>;

/**
 * The worker side of the cleanup queue. Each tick of CLEANUP_TICKS is a BullMQ job scheduler
 * every CLEANUP_INTERVAL_SECONDS: every replica upserts the same schedulers, so the cluster
 * runs one tick per interval however many replicas there are, on whichever is free. One
 * BullMQ Worker runs the ticks and the owner deletions the files service queues, by job name.
 *
 * At shutdown running jobs are asked to stop after the batch in hand, and the worker closes
 * once they have; every job can also be killed at any point and is finished by a later run.
 */
@Injectable()
export class CleanupWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly stopping = new AbortController();
  private readonly handlers: Record<CleanupTick | typeof PURGE_FILES_JOB, Handler>;
  private worker: Worker | undefined;
  private connection: Redis | undefined;
  private scheduling: Promise<void> | undefined;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    @Inject(CLEANUP_CONFIG) private readonly config: CleanupConfig,
    @Inject(CLEANUP_LOG) private readonly log: Logger,
    private readonly queue: CleanupQueue,
    private readonly runner: JobRunner,
    private readonly shutdown: ShutdownState,
    expire: ExpireJob,
    purge: PurgeJob,
    abandon: AbandonJob,
    reconcile: ReconcileJob,
    expireOffers: ExpireOffersJob,
  ) {
    this.handlers = {
      expire: (run) => expire.run(run),
      purge: (run) => purge.run(run),
      abandon: (run) => abandon.run(run),
      reconcile: (run) => reconcile.run(run),
      'expire-offers': (run) => expireOffers.run(run),
      [PURGE_FILES_JOB]: (run, job) => purge.purgeFiles(run, this.fileIdsOf(job)),
    };
  }

  onApplicationBootstrap(): void {
    this.connection = createRedisConnection(this.config.REDIS_URL, 'worker');
    this.worker = createWorker(
      CLEANUP_QUEUE,
      (job) => this.track(this.process(job)),
      this.connection,
      { concurrency: CONCURRENCY },
      this.config.QUEUE_PREFIX,
    );
    const reportError = throttled(ERROR_REPORT_INTERVAL_MS);
    this.worker.on('error', (error) => {
      if (reportError(error.message)) this.log.warn({ err: error }, 'cleanup worker: queue error');
    });
    // In the background: a worker started before Redis comes up schedules once it is there.
    this.scheduling = this.scheduleTicks();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.log.info('cleanup worker stopping: running jobs end after the batch in hand');
    this.stopping.abort();
    await this.scheduling;
    // Jobs stop after their batch; wait for them here, because BullMQ's own graceful close
    // also waits for Redis, which may be the reason for the shutdown. They get the grace period
    // (SHUTDOWN_GRACE_SECONDS) but what closing the worker may take after them.
    const jobsWaitMs = Math.max(0, this.shutdown.remainingMs() - CLOSE_WAIT_MS);
    await within(Promise.allSettled(this.running), jobsWaitMs).catch(() =>
      this.log.warn('cleanup jobs still running at shutdown; a later run finishes their work'),
    );
    if (this.worker) {
      // With Redis up a graceful close records the jobs that just ended; without it only a
      // forced close returns (the jobs' locks expire and they count as stalled).
      const force = !(await this.queue.ping());
      await within(this.worker.close(force), CLOSE_WAIT_MS).catch(() => this.worker?.disconnect());
    }
    this.connection?.disconnect();
    this.log.info('cleanup worker stopped');
  }

  /** Upserts the schedulers once Redis answers; a failure is retried, a wait is reported. */
  private async scheduleTicks(): Promise<void> {
    const { signal } = this.stopping;
    const stopped = new Promise<'stopped'>((resolve) =>
      signal.addEventListener('abort', () => resolve('stopped'), { once: true }),
    );
    for (let attempt = 1; !signal.aborted; attempt++) {
      // BullMQ waits for a connection that is down rather than failing, however long it takes.
      const scheduled = this.upsertTicks();
      scheduled.catch(() => undefined); // one still waiting at shutdown is nobody's concern
      const reminder = setInterval(
        () => this.log.warn('still waiting for Redis to schedule the cleanup ticks'),
        ERROR_REPORT_INTERVAL_MS,
      ).unref();
      try {
        if ((await Promise.race([scheduled, stopped])) === 'stopped') return;
        this.log.info(
          { ticks: CLEANUP_TICKS, everySeconds: this.config.CLEANUP_INTERVAL_SECONDS },
          'cleanup ticks scheduled',
        );
        return;
      } catch (error) {
        const retryMs = Math.min(MAX_SCHEDULE_RETRY_MS, attempt * 1000);
        this.log.warn({ err: error, attempt, retryMs }, 'could not schedule the cleanup ticks; retrying');
        await sleep(retryMs, undefined, { signal }).catch(() => undefined);
      } finally {
        clearInterval(reminder);
      }
    }
  }

  private async upsertTicks(): Promise<'scheduled'> {
    const every = this.config.CLEANUP_INTERVAL_SECONDS * 1000;
    for (const tick of CLEANUP_TICKS) {
      await this.queue.queue.upsertJobScheduler(`cleanup-${tick}`, { every }, { name: tick, opts: TICK_JOB_OPTIONS });
    }
    return 'scheduled';
  }

  /** Keeps `job` among the running ones until it settles. */
  private track<T>(job: Promise<T>): Promise<T> {
    this.running.add(job);
    const untrack = () => this.running.delete(job);
    job.then(untrack, untrack);
    return job;
  }

  private async process(job: Job): Promise<Record<string, number>> {
    const handler = this.handlers[job.name as keyof typeof this.handlers] as Handler | undefined;
    // A job no version of this worker knows: retrying it would not help.
    if (!handler) throw new UnrecoverableError(`unknown cleanup job "${job.name}"`);
    const requestId = acceptRequestId(`cleanup-${job.id ?? job.name}`);
    return this.runner.execute(job.name, requestId, this.stopping.signal, (run) => handler(run, job));
  }

  /** The ids of a PURGE_FILES_JOB; anything else in its data is ignored (the service decides again). */
  private fileIdsOf(job: Job): string[] {
    const given: unknown = (job.data as Partial<Record<keyof PurgeFilesJobData, unknown>> | null)?.fileIds;
    const ids = Array.isArray(given) ? (given as unknown[]) : [];
    const valid = ids.filter(isId);
    if (valid.length === 0 || valid.length < ids.length) {
      this.log.warn({ jobId: job.id }, `${PURGE_FILES_JOB} job without (valid) file ids; only valid ones are purged`);
    }
    return valid;
  }
}

/** A gate that opens once per `intervalMs` for the same message, at once for a new one. */
function throttled(intervalMs: number): (message: string) => boolean {
  let last: { message: string; atMs: number } | undefined;
  return (message) => {
    const nowMs = Date.now();
    if (last && last.message === message && nowMs - last.atMs < intervalMs) return false;
    last = { message, atMs: nowMs };
    return true;
  };
}

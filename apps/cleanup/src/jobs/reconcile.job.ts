import { Inject, Injectable } from '@nestjs/common';
import { CLEANUP_CONFIG, type CleanupConfig } from '../config/cleanup.config.js';
import {
  CLEANUP_STORAGE,
  FILE_LIFECYCLE,
  STORAGE_MAINTENANCE,
  type CleanupStorage,
  type FileLifecycle,
  type StorageMaintenance,
} from '../dependencies.js';
import { CLEANUP_LOG, type Logger } from '../logging.js';
import { drain, type JobRun } from './job-run.js';
import { ObjectAudit } from './reconcile/object-audit.js';
import { TailSweep } from './reconcile/tail-sweep.js';

/** Pages of accounts one recompute walks at most (the walk ends sooner, at the last account). */
const MAX_ACCOUNT_PAGES = 10_000;
/** The longest an upload session lives (files' UPLOAD_TTL_HOURS): a multipart upload older has none. */
const UPLOAD_SESSION_MS = 24 * 3600 * 1000;

/**
 * `reconcile`: finds and repairs what the other jobs cannot see, in four independent steps; a
 * step that fails is logged and the others still run (the run then counts as failed):
 *
 * - objects: storage under `files/` against the files service's keys (ObjectAudit);
 * - tails: tus tails of sessions that are gone (TailSweep);
 * - multipart: multipart uploads begun longer ago than any session lives, plus the grace (a
 *   gateway that died mid-upload after its session was abandoned);
 * - reservations: quotas gives back reservations long past their expiry;
 * - accounts: quotas recomputes every storage account from its ledger, a page at a time.
 */
@Injectable()
export class ReconcileJob {
  private readonly audit: ObjectAudit;
  private readonly tails: TailSweep;

  constructor(
    @Inject(FILE_LIFECYCLE) files: FileLifecycle,
    @Inject(STORAGE_MAINTENANCE)
    private readonly quotas: Pick<StorageMaintenance, 'releaseExpiredReservations' | 'recomputeStorage'>,
    @Inject(CLEANUP_STORAGE) private readonly storage: CleanupStorage,
    @Inject(CLEANUP_CONFIG)
    private readonly config: Pick<
      CleanupConfig,
      'CLEANUP_BATCH_SIZE' | 'CLEANUP_ORPHAN_GRACE_SECONDS' | 'CLEANUP_RESERVATION_GRACE_SECONDS'
    >,
    @Inject(CLEANUP_LOG) private readonly log: Logger,
  ) {
    const settings = { batchSize: config.CLEANUP_BATCH_SIZE, orphanGraceSeconds: config.CLEANUP_ORPHAN_GRACE_SECONDS };
    this.audit = new ObjectAudit(files, storage, settings, log);
    this.tails = new TailSweep(files, storage, settings, log);
  }

  async run(run: JobRun): Promise<void> {
    const steps: [string, () => Promise<void>][] = [
      ['objects', () => this.audit.run(run, Date.now())],
      ['tails', () => this.tails.run(run, Date.now())],
      ['multipart', () => this.abortStaleUploads(run, Date.now())],
      ['reservations', () => this.releaseExpiredReservations(run)],
      ['accounts', () => this.recomputeAccounts(run)],
    ];
    const failed: string[] = [];
    for (const [step, task] of steps) {
      if (run.signal.aborted) break;
      try {
        await task();
      } catch (error) {
        failed.push(step);
        this.log.error({ step, err: error }, `reconcile step ${step} failed`);
      }
    }
    if (failed.length > 0) throw new Error(`reconcile step(s) failed: ${failed.join(', ')}`);
  }

  private abortStaleUploads(run: JobRun, nowMs: number): Promise<void> {
    const limit = this.config.CLEANUP_BATCH_SIZE;
    const before = new Date(nowMs - UPLOAD_SESSION_MS - this.config.CLEANUP_ORPHAN_GRACE_SECONDS * 1000);
    return drain(run, limit, async () => {
      const stale = await this.storage.listStaleUploads('', before, limit);
      for (const upload of stale) await this.storage.abortMultipart(upload.key, upload.uploadId);
      if (stale.length > 0) this.log.warn({ uploads: stale }, `aborted ${stale.length} stale multipart upload(s)`);
      run.count('multipart_aborted', stale.length);
      return stale.length;
    });
  }

  private releaseExpiredReservations(run: JobRun): Promise<void> {
    const limit = this.config.CLEANUP_BATCH_SIZE;
    const graceSeconds = this.config.CLEANUP_RESERVATION_GRACE_SECONDS;
    return drain(run, limit, async () => {
      const { released } = await this.quotas.releaseExpiredReservations({ graceSeconds, limit });
      run.count('reservations_released', released);
      return released;
    });
  }

  /** Walks every account: a walk cut short would never reach the accounts at its end. */
  private async recomputeAccounts(run: JobRun): Promise<void> {
    const limit = this.config.CLEANUP_BATCH_SIZE;
    let afterAccountId = '';
    for (let page = 0; page < MAX_ACCOUNT_PAGES && !run.signal.aborted; page++) {
      const answer = await this.quotas.recomputeStorage({ afterAccountId, limit });
      run.count('accounts_checked', answer.checked);
      run.count('accounts_corrected', answer.corrected);
      if (!answer.nextAfterAccountId) return;
      if (answer.nextAfterAccountId === afterAccountId) {
        throw new Error(`RecomputeStorage did not move past account ${afterAccountId}`);
      }
      afterAccountId = answer.nextAfterAccountId;
    }
  }
}

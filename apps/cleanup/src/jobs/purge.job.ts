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
import { chunks, drain, type JobRun } from './job-run.js';
import { Pace } from './pace.js';

/**
 * `purge`: files past their redemption window, and files their owners deleted, lose their
 * object, their storage accounting and then their row. The steps run in this order, each
 * idempotent, so a worker killed anywhere leaves a state the next run finishes:
 *
 * 1. claim (files): the rows become `purging` with a claim time; a claim older than the lease
 *    is claimed again, so a dead worker's files are taken over.
 * 2. delete the objects (a missing object counts as deleted).
 * 3. give back the stored bytes (quotas: the ledger row goes with them, so at most once).
 * 4. finish (files): the rows go. A row still there means a later step did not happen.
 */
@Injectable()
export class PurgeJob {
  /** One for the worker: its ticks and owner deletions together keep to the rate. */
  private readonly pace: Pace;

  constructor(
    @Inject(FILE_LIFECYCLE) private readonly files: Pick<FileLifecycle, 'claimPurge' | 'finishPurge'>,
    @Inject(STORAGE_MAINTENANCE) private readonly quotas: Pick<StorageMaintenance, 'releaseStoredFiles'>,
    @Inject(CLEANUP_STORAGE) private readonly storage: Pick<CleanupStorage, 'removeMany'>,
    @Inject(CLEANUP_CONFIG)
    private readonly config: Pick<
      CleanupConfig,
      'CLEANUP_BATCH_SIZE' | 'CLEANUP_CLAIM_LEASE_SECONDS' | 'CLEANUP_PURGE_FILES_PER_SECOND'
    >,
  ) {
    this.pace = new Pace(config.CLEANUP_PURGE_FILES_PER_SECOND);
  }

  /** The tick: purges batch after batch until a claim comes back short. */
  run(run: JobRun): Promise<void> {
    const limit = this.config.CLEANUP_BATCH_SIZE;
    return drain(run, limit, () => this.purgeBatch(run, limit, []));
  }

  /**
   * PURGE_FILES_JOB: purges these files now (their owner deleted them). The files service
   * decides again which of them are to be purged; ids it does not claim are left alone.
   */
  async purgeFiles(run: JobRun, fileIds: readonly string[]): Promise<void> {
    for (const batch of chunks([...new Set(fileIds)], this.config.CLEANUP_BATCH_SIZE)) {
      if (run.signal.aborted) return;
      await this.purgeBatch(run, batch.length, batch);
    }
  }

  /** One pass of the four steps over at most `limit` files; returns how many were claimed. */
  private async purgeBatch(run: JobRun, limit: number, fileIds: string[]): Promise<number> {
    const settle = await this.pace.book(limit, run.signal);
    let claimedCount = 0;
    try {
      if (run.signal.aborted) return 0;
      const leaseSeconds = this.config.CLEANUP_CLAIM_LEASE_SECONDS;
      const { files: claimed } = await this.files.claimPurge({ limit, leaseSeconds, fileIds });
      claimedCount = claimed.length;
      if (claimed.length === 0) return 0;
      const ids = claimed.map((file) => file.fileId);
      await this.storage.removeMany(claimed.map((file) => file.objectKey));
      const { releasedBytes } = await this.quotas.releaseStoredFiles({ fileIds: ids });
      const { deleted } = await this.files.finishPurge({ fileIds: ids });
      run.count('purged', deleted);
      run.count('released_bytes', releasedBytes);
      return claimed.length;
    } finally {
      settle(claimedCount);
    }
  }
}

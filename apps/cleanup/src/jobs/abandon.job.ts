import type { filesV1 } from '@lexy/contracts-grpc';
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
import { tailPrefixOf } from './ids.js';
import { drain, eachLimited, type JobRun } from './job-run.js';

/** Uploads whose storage is cleaned at once (a few S3 requests each). */
const STORAGE_CONCURRENCY = 8;

/**
 * `abandon`: upload sessions past their expiry can never be committed, so everything they
 * hold is given up: their multipart uploads and any bytes stored for them (the object key and
 * the tus tails under `uploads/<uploadId>/`), then their storage reservation, then the session
 * rows. The rows go last, so a run that stops half-way leaves them listed for the next one.
 */
@Injectable()
export class AbandonJob {
  constructor(
    @Inject(FILE_LIFECYCLE) private readonly files: Pick<FileLifecycle, 'listExpiredUploads' | 'deleteUploads'>,
    @Inject(STORAGE_MAINTENANCE) private readonly quotas: Pick<StorageMaintenance, 'releaseReservations'>,
    @Inject(CLEANUP_STORAGE)
    private readonly storage: Pick<CleanupStorage, 'abortUploadsOf' | 'listObjects' | 'removeMany'>,
    @Inject(CLEANUP_CONFIG) private readonly config: Pick<CleanupConfig, 'CLEANUP_BATCH_SIZE'>,
  ) {}

  run(run: JobRun): Promise<void> {
    const limit = this.config.CLEANUP_BATCH_SIZE;
    return drain(run, limit, async () => {
      const { uploads } = await this.files.listExpiredUploads({ limit });
      if (uploads.length === 0) return 0;
      await eachLimited(uploads, STORAGE_CONCURRENCY, (upload) => this.clearStorage(run, upload));
      const reservationIds = uploads.map((upload) => upload.reservationId).filter(Boolean);
      if (reservationIds.length > 0) {
        const { released } = await this.quotas.releaseReservations({ reservationIds });
        run.count('reservations_released', released);
      }
      const { deleted } = await this.files.deleteUploads({ uploadIds: uploads.map((upload) => upload.uploadId) });
      run.count('abandoned', deleted);
      return uploads.length;
    });
  }

  /** Aborts first: a multipart upload completing meanwhile still has its object removed after. */
  private async clearStorage(run: JobRun, upload: filesV1.ExpiredUpload): Promise<void> {
    run.count('multipart_aborted', await this.storage.abortUploadsOf(upload.objectKey));
    const keys = [upload.objectKey];
    for await (const tail of this.storage.listObjects(tailPrefixOf(upload.uploadId))) keys.push(tail.key);
    await this.storage.removeMany(keys);
  }
}

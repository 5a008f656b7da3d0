import { Inject, Injectable } from '@nestjs/common';
import { CLEANUP_CONFIG, type CleanupConfig } from '../config/cleanup.config.js';
import { FILE_LIFECYCLE, type FileLifecycle } from '../dependencies.js';
import { drain, type JobRun } from './job-run.js';

/** `expire`: active files whose retention ended become expired (they stop resolving). */
@Injectable()
export class ExpireJob {
  constructor(
    @Inject(FILE_LIFECYCLE) private readonly files: Pick<FileLifecycle, 'expireDue'>,
    @Inject(CLEANUP_CONFIG) private readonly config: Pick<CleanupConfig, 'CLEANUP_BATCH_SIZE'>,
  ) {}

  run(run: JobRun): Promise<void> {
    const limit = this.config.CLEANUP_BATCH_SIZE;
    return drain(run, limit, async () => {
      const { expired } = await this.files.expireDue({ limit });
      run.count('expired', expired);
      return expired;
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CLEANUP_CONFIG, type CleanupConfig } from '../config/cleanup.config.js';
import { RELAY_MAINTENANCE, type RelayMaintenance } from '../dependencies.js';
import { drain, type JobRun } from './job-run.js';

/**
 * `expire-offers`: transfer offers nobody answered before their expiry are recorded as
 * expired (their accounts already see them so; the rows stop reading `pending`).
 */
@Injectable()
export class ExpireOffersJob {
  constructor(
    @Inject(RELAY_MAINTENANCE) private readonly relay: Pick<RelayMaintenance, 'expireOffers'>,
    @Inject(CLEANUP_CONFIG) private readonly config: Pick<CleanupConfig, 'CLEANUP_BATCH_SIZE'>,
  ) {}

  run(run: JobRun): Promise<void> {
    const limit = this.config.CLEANUP_BATCH_SIZE;
    return drain(run, limit, async () => {
      const { transfers } = await this.relay.expireOffers({ limit });
      run.count('expired_offers', transfers.length);
      return transfers.length;
    });
  }
}

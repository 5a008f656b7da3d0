import { GroupLimitsCache as CachedGroupLimits } from '@lexy/server-throttle';
import { Inject, Injectable } from '@nestjs/common';
import { QUOTAS_CLIENT, type QuotasClient } from '../grpc/grpc-clients.js';

export { GROUP_LIMITS_TTL_MS } from '@lexy/server-throttle';

/** The gateway's group limits (download speed, upload limits), cached as the relay's are. */
@Injectable()
export class GroupLimitsCache extends CachedGroupLimits {
  constructor(@Inject(QUOTAS_CLIENT) quotas: QuotasClient) {
    super((request) => quotas.getGroupLimits(request));
  }
}

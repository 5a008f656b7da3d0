import { quotaAccountOf, type Caller } from '@lexy/server-grpc';
import { OpenGates, throttleBucketKey, type DownloadGate, type TokenBucketStore } from '@lexy/server-throttle';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { GroupLimitsCache } from './group-limits.cache.js';

export const TOKEN_BUCKET_STORE = Symbol('TOKEN_BUCKET_STORE');

/**
 * The download speed of a caller's group, applied per caller: one token bucket per quota
 * account, in Redis, shared by all of the caller's downloads on every gateway replica and by
 * the bytes the relay relays for that account.
 */
@Injectable()
export class DownloadThrottle {
  /** Open gates per bucket key on this replica: a caller's leases share LEASE_SECONDS among them. */
  private readonly gates: OpenGates;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(TOKEN_BUCKET_STORE) store: TokenBucketStore,
    private readonly limits: GroupLimitsCache,
  ) {
    this.gates = new OpenGates(store);
  }

  /** The bucket key of a caller (exported for tests and the benchmark, which watch it). */
  bucketKey(caller: Caller): string {
    return throttleBucketKey(this.config.GATEWAY_THROTTLE_PREFIX, quotaAccountOf(caller));
  }

  /** A gate for one download, or undefined when the caller's group is unlimited (no throttle code at all). */
  async gateFor(caller: Caller): Promise<DownloadGate | undefined> {
    const rate = await this.limits.downloadRate(caller.group);
    if (rate === null) return undefined;
    return this.gates.openGate(this.bucketKey(caller), rate, () => this.limits.downloadRate(caller.group));
  }
}

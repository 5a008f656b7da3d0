import { quotaAccountOf, type Caller } from '@lexy/server-grpc';
import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { DownloadGate } from './download-gate.js';
import { GroupLimitsCache } from './group-limits.cache.js';
import type { TokenBucketStore } from './token-bucket-store.js';

export const TOKEN_BUCKET_STORE = Symbol('TOKEN_BUCKET_STORE');

/**
 * The download speed of a caller's group, applied per caller: one token bucket per quota
 * account, in Redis, shared by all of the caller's downloads on every gateway replica.
 */
@Injectable()
export class DownloadThrottle {
  /** Open gates per bucket key on this replica: a caller's leases share LEASE_SECONDS among them. */
  private readonly open = new Map<string, number>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(TOKEN_BUCKET_STORE) private readonly store: TokenBucketStore,
    private readonly limits: GroupLimitsCache,
  ) {}

  /** The bucket key of a caller (exported for tests and the benchmark, which watch it). */
  bucketKey(caller: Caller): string {
    return `${this.config.GATEWAY_THROTTLE_PREFIX}{${quotaAccountOf(caller)}}`;
  }

  /** A gate for one download, or undefined when the caller's group is unlimited (no throttle code at all). */
  async gateFor(caller: Caller): Promise<DownloadGate | undefined> {
    const rate = await this.limits.downloadRate(caller.group);
    if (rate === null) return undefined;
    const key = this.bucketKey(caller);
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
    return new DownloadGate({
      initialRate: rate,
      store: this.store,
      key,
      rate: () => this.limits.downloadRate(caller.group),
      streams: () => this.open.get(key) ?? 1,
      onClose: () => {
        const left = (this.open.get(key) ?? 1) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      },
      now: Date.now,
      sleep: (ms) => sleep(ms),
    });
  }
}

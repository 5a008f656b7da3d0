import {
  GroupLimitsCache,
  OpenGates,
  REAL_CLOCK,
  RedisTokenBucket,
  throttleBucketKey,
  type DownloadGate,
  type GateClock,
  type TokenBucketStore,
} from '@lexy/server-throttle';
import { Inject, Injectable, type Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { QUOTAS_CLIENT, type QuotasClient } from '../grpc/grpc-clients.js';
import { REDIS } from '../redis/redis.providers.js';

export const RELAY_TOKEN_BUCKETS = Symbol('RELAY_TOKEN_BUCKETS');

/** The relay's cache of group limits (2 s, as the gateway's), fed by the quotas service. */
@Injectable()
export class RelayGroupLimits extends GroupLimitsCache {
  constructor(@Inject(QUOTAS_CLIENT) quotas: QuotasClient) {
    super((request) => quotas.getGroupLimits(request));
  }
}

/**
 * The download speed of an account's group applied to the bytes relayed for it: the same
 * token bucket (same Redis key) as that account's downloads through the gateway, so relayed
 * and downloaded bytes together stay at the group's rate.
 */
@Injectable()
export class RelayThrottle {
  private readonly gates: OpenGates;
  private clock: GateClock = REAL_CLOCK;

  constructor(
    @Inject(RELAY_CONFIG) private readonly config: Pick<RelayConfig, 'GATEWAY_THROTTLE_PREFIX'>,
    @Inject(RELAY_TOKEN_BUCKETS) store: TokenBucketStore,
    private readonly limits: RelayGroupLimits,
  ) {
    this.gates = new OpenGates(store, () => this.clock);
  }

  /** Tests move time instead of waiting. */
  useClock(clock: GateClock): void {
    this.clock = clock;
  }

  /** The bucket of a registered user: the account key, as the gateway's quotaAccountOf gives it. */
  bucketKey(ownerId: string): string {
    return throttleBucketKey(this.config.GATEWAY_THROTTLE_PREFIX, ownerId);
  }

  /** A gate for one relayed stream, or undefined when the account's group is unlimited (admin). */
  async gateFor(ownerId: string, group: string): Promise<DownloadGate | undefined> {
    const rate = await this.limits.downloadRate(group);
    if (rate === null) return undefined;
    return this.gates.openGate(this.bucketKey(ownerId), rate, () => this.limits.downloadRate(group));
  }
}

/** The relay's throttle with its buckets in the relay's Redis connection. */
export const relayThrottleProviders: Provider[] = [
  { provide: RELAY_TOKEN_BUCKETS, inject: [REDIS], useFactory: (redis: Redis) => new RedisTokenBucket(redis) },
  RelayGroupLimits,
  RelayThrottle,
];

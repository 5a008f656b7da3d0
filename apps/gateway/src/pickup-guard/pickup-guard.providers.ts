import type { Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { REDIS } from '../redis/redis.provider.js';
import { PickupChallenges } from './pickup-challenges.js';
import { pickupLimitPolicy } from './pickup-guard.config.js';
import type { PickupLimitPolicy } from './pickup-limit-policy.js';
import { PickupLimitStore } from './pickup-limit-store.js';
import { PICKUP_CLOCK, PICKUP_LIMIT_POLICY, PickupAdmission, type Clock } from './pickup-admission.js';
import { PickupLimitsInterceptor } from './pickup-limits.interceptor.js';

/** What the pickup limits need; the module that uses them provides GATEWAY_CONFIG, REDIS and ClientAddresses. */
export const pickupGuardProviders: Provider[] = [
  { provide: PICKUP_CLOCK, useValue: Date.now satisfies Clock },
  { provide: PICKUP_LIMIT_POLICY, inject: [GATEWAY_CONFIG], useFactory: pickupLimitPolicy },
  {
    provide: PickupLimitStore,
    inject: [REDIS, GATEWAY_CONFIG, PICKUP_LIMIT_POLICY],
    useFactory: (redis: Redis, config: GatewayConfig, policy: PickupLimitPolicy) =>
      new PickupLimitStore(redis, config.PICKUP_REDIS_PREFIX, policy),
  },
  {
    provide: PickupChallenges,
    inject: [GATEWAY_CONFIG, PICKUP_CLOCK],
    useFactory: (config: GatewayConfig, clock: Clock) =>
      new PickupChallenges(config.PICKUP_CHALLENGE_SECRET, config.PICKUP_CHALLENGE_MAX_COUNTER, clock),
  },
  PickupAdmission,
  PickupLimitsInterceptor,
];

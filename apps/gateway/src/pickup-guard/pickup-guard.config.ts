import { secret } from '@lexy/server-config';
import { z } from 'zod';
import { DAY_MS, type PickupLimitPolicy } from './pickup-limit-policy.js';

const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** The pickup-code policy's settings; part of the gateway's config schema (gateway.config.ts). */
export const pickupGuardEnv = {
  /** Failed lookups per source in any minute; the next lookup answers 429. */
  PICKUP_FAILURES_PER_MINUTE: count(5, 100_000),
  /** Failed lookups per source in a rolling hour that lock it out. */
  PICKUP_FAILURES_PER_HOUR: count(20, 1_000_000),
  /** The first lock-out; repeats within 24 h double it, up to 24 h. */
  PICKUP_LOCKOUT_SECONDS: count(3_600, 86_400),
  /** Failed lookups of everyone per hour, past which anonymous lookups need a proof of work. */
  PICKUP_GLOBAL_FAILURE_BUDGET: count(1_000, 100_000_000),
  /** HMAC key of the proof-of-work challenges. */
  PICKUP_CHALLENGE_SECRET: secret('lexy-development-pickup-challenge-secret-not-for-production'),
  /** Difficulty: a challenge takes up to this many SHA-256 hashes to solve (3/4 of it on average). */
  PICKUP_CHALLENGE_MAX_COUNTER: count(200_000, 100_000_000),
  /** Prefix of the limiter's Redis keys; only tests change it, to keep their counters apart. */
  PICKUP_REDIS_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'expected 1-64 characters of [A-Za-z0-9_.:-]')
    .default('lexy:pickup:'),
};

type PickupGuardEnv = { [K in keyof typeof pickupGuardEnv]: z.output<(typeof pickupGuardEnv)[K]> };

export function pickupLimitPolicy(config: PickupGuardEnv): PickupLimitPolicy {
  return {
    failuresPerMinute: config.PICKUP_FAILURES_PER_MINUTE,
    failuresPerHour: config.PICKUP_FAILURES_PER_HOUR,
    lockoutMs: config.PICKUP_LOCKOUT_SECONDS * 1_000,
    maxLockoutMs: DAY_MS,
    lockoutMemoryMs: DAY_MS,
    globalFailureBudget: config.PICKUP_GLOBAL_FAILURE_BUDGET,
  };
}

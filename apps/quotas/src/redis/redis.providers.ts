import { failFastRedisProviders } from '@lexy/server-redis';
import { QUOTAS_CONFIG, type QuotasConfig } from '../config/quotas.config.js';

export const REDIS = Symbol('REDIS');

/**
 * The service's Redis connection for traffic counters, failing fast: traffic admission then
 * answers SERVICE_UNAVAILABLE at once, never admitting a download unchecked.
 */
export const [redisProvider, RedisCloser] = failFastRedisProviders<QuotasConfig>(
  REDIS,
  QUOTAS_CONFIG,
  (config) => config.REDIS_URL,
);

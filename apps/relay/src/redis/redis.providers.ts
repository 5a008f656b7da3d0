import { failFastRedisProviders } from '@lexy/server-redis';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';

export const REDIS = Symbol('REDIS');

/**
 * The service's Redis connection for presence, failing fast: while Redis is unreachable a
 * listing answers at once with every device offline instead of hanging (see Presence).
 */
export const [redisProvider, RedisCloser] = failFastRedisProviders<RelayConfig>(
  REDIS,
  RELAY_CONFIG,
  (config) => config.REDIS_URL,
);

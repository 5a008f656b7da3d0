import { failFastRedisProviders } from '@lexy/server-redis';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';

export const REDIS = Symbol('REDIS');

/**
 * The service's Redis connection, failing fast: login answers SERVICE_UNAVAILABLE at once
 * instead of hanging, and never runs without its failure counters.
 */
export const [redisProvider, RedisCloser] = failFastRedisProviders<AuthConfig>(
  REDIS,
  AUTH_CONFIG,
  (config) => config.REDIS_URL,
);

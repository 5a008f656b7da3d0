import type { Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';

export const REDIS = Symbol('REDIS');

/**
 * The gateway's Redis connection. Commands fail fast while Redis is unreachable
 * (no offline queue, one retry), so a check that needs Redis answers 503 at once
 * instead of hanging a request.
 */
export const redisProvider: Provider = {
  provide: REDIS,
  inject: [GATEWAY_CONFIG],
  useFactory: (config: GatewayConfig) =>
    new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 }),
};

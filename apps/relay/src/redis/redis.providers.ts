import { failFastRedisProviders } from '@lexy/server-redis';
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
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

export const REDIS_SUBSCRIBER = Symbol('REDIS_SUBSCRIBER');

/**
 * A second connection for pub/sub (a subscribed connection can issue no other commands). It
 * queues commands while it reconnects, so its subscription survives a Redis restart.
 */
export const redisSubscriberProvider: Provider = {
  provide: REDIS_SUBSCRIBER,
  inject: [RELAY_CONFIG],
  useFactory: (config: RelayConfig) => {
    const redis = new Redis(config.REDIS_URL, { connectTimeout: 2_000, disconnectTimeout: 500 });
    // Reconnects are retried by ioredis; a failure that matters shows as missed events.
    redis.on('error', () => undefined);
    return redis;
  },
};

@Injectable()
export class RedisSubscriberCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_SUBSCRIBER) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

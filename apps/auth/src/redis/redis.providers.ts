import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';

export const REDIS = Symbol('REDIS');

/**
 * The service's Redis connection. Commands fail fast while Redis is unreachable (no
 * offline queue, one retry), so login answers SERVICE_UNAVAILABLE at once instead of
 * hanging, and never runs without its failure counters. The first connection is awaited
 * (briefly) so the first request after start does not meet a connection still opening.
 */
export const redisProvider: Provider = {
  provide: REDIS,
  inject: [AUTH_CONFIG],
  useFactory: async (config: AuthConfig): Promise<Redis> => {
    const redis = new Redis(config.REDIS_URL, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2_000,
      // How long disconnect() waits for a socket to close before destroying it; ioredis
      // arms it even for a socket that is already gone, which would hold shutdown for 2 s.
      disconnectTimeout: 500,
    });
    // Without a listener ioredis reports every failed reconnect as an unhandled error;
    // the failures that matter surface on the commands (and in the readiness check).
    redis.on('error', () => undefined);
    await firstConnection(redis, 3_000);
    return redis;
  },
};

/** Waits until the connection is ready, has failed once, or `limitMs` passed; never throws. */
function firstConnection(redis: Redis, limitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, limitMs);
    redis.once('ready', done);
    redis.once('error', done);
  });
}

@Injectable()
export class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    // QUIT only works on a live connection; disconnect() also stops a reconnect loop.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}

import { Inject, Injectable, type OnApplicationShutdown, type Provider, type Type } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * A Redis connection for checks that must not run without Redis (limits, revocations, traffic
 * counters). Commands fail fast while Redis is unreachable (no offline queue, one retry), so the
 * caller answers SERVICE_UNAVAILABLE at once instead of hanging or skipping the check. The first
 * connection is awaited briefly, so the first request after start does not meet a connection
 * that is still opening.
 */
export async function connectFailFastRedis(url: string, firstConnectionMs = 3_000): Promise<Redis> {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    // How long disconnect() waits for a socket to close before destroying it; ioredis arms it
    // even for a socket that is already gone, which would hold shutdown for 2 s.
    disconnectTimeout: 500,
  });
  // Without a listener ioredis reports every failed reconnect as an unhandled error; the
  // failures that matter surface on the commands (and in readiness checks).
  redis.on('error', () => undefined);
  await firstConnection(redis, firstConnectionMs);
  return redis;
}

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

/**
 * The provider of a service's fail-fast Redis connection under `token`, with the URL read from
 * the service's config, and the class that closes it at shutdown (add both to the module).
 */
export function failFastRedisProviders<Config>(
  token: symbol,
  configToken: symbol,
  urlOf: (config: Config) => string,
): [Provider, Type<OnApplicationShutdown>] {
  @Injectable()
  class RedisCloser implements OnApplicationShutdown {
    constructor(@Inject(token) private readonly redis: Redis) {}

    async onApplicationShutdown(): Promise<void> {
      // QUIT only works on a live connection; disconnect() also stops a reconnect loop.
      if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
      this.redis.disconnect();
    }
  }
  const provider: Provider = {
    provide: token,
    inject: [configToken],
    useFactory: (config: Config) => connectFailFastRedis(urlOf(config)),
  };
  return [provider, RedisCloser];
}

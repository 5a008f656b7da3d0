import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
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

export const REDIS_SUBSCRIBER = Symbol('REDIS_SUBSCRIBER');

/**
 * A second connection for pub/sub (a subscribed connection can issue no other commands). It
 * queues commands while it reconnects, so a subscription survives a Redis restart.
 */
export const redisSubscriberProvider: Provider = {
  provide: REDIS_SUBSCRIBER,
  inject: [GATEWAY_CONFIG],
  useFactory: (config: GatewayConfig) => new Redis(config.REDIS_URL, { connectTimeout: 2_000 }),
};

/** Closes both connections when the application closes, so that nothing keeps the process up. */
@Injectable()
export class RedisConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
  ) {}

  onApplicationShutdown(): void {
    for (const connection of [this.redis, this.subscriber]) {
      // A connection still being made when it is closed reports that it could not finish: expected.
      connection.on('error', () => undefined);
      connection.disconnect();
    }
  }
}

import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';
import { REDIS } from '../redis/redis.providers.js';
import { accessTokenReachSeconds } from './token.service.js';

/**
 * Tells every gateway replica at once that sessions were revoked or a user disabled.
 * The gateway checks `<prefix>revoked:session:<sessionId>` and `<prefix>revoked:user:<userId>`
 * on every request; the database stays the source of truth (VerifyAccessToken reads it),
 * the markers only need to outlive the access tokens issued before the revocation.
 */
@Injectable()
export class RevocationPublisher {
  private readonly prefix: string;
  private readonly ttlSeconds: number;

  constructor(
    @Inject(AUTH_CONFIG) config: AuthConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.prefix = config.AUTH_REDIS_PREFIX;
    this.ttlSeconds = accessTokenReachSeconds(config);
  }

  sessionKey(sessionId: string): string {
    return `${this.prefix}revoked:session:${sessionId}`;
  }

  userKey(userId: string): string {
    return `${this.prefix}revoked:user:${userId}`;
  }

  /** Marks the sessions revoked; SERVICE_UNAVAILABLE when Redis cannot be written. */
  async sessionsRevoked(sessionIds: readonly string[]): Promise<void> {
    await this.write(sessionIds.map((id) => this.sessionKey(id)));
  }

  /** Marks the user disabled and its sessions revoked. */
  async userDisabled(userId: string, sessionIds: readonly string[]): Promise<void> {
    await this.write([this.userKey(userId), ...sessionIds.map((id) => this.sessionKey(id))]);
  }

  /** Lifts the disabled marker (its sessions stay revoked: the user signs in again). */
  async userEnabled(userId: string): Promise<void> {
    try {
      await this.redis.del(this.userKey(userId));
    } catch {
      throw unavailable();
    }
  }

  private async write(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const multi = this.redis.multi();
    for (const key of keys) multi.set(key, '1', 'EX', this.ttlSeconds);
    try {
      const results = await multi.exec();
      if (!results || results.some(([error]) => error)) throw new Error('Redis write failed');
    } catch {
      throw unavailable();
    }
  }
}

function unavailable(): DomainError {
  return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The change is saved but not yet effective everywhere; retry', {
    retryAfterSeconds: 5,
  });
}

import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.provider.js';

/** Keys the auth service writes when it revokes sessions or disables a user. */
export const revokedSessionKey = (sessionId: string) => `lexy:revoked:session:${sessionId}`;
export const revokedUserKey = (userId: string) => `lexy:revoked:user:${userId}`;

/**
 * Asks Redis, on every request that carries a token, whether its session was revoked
 * or its user disabled. Shared by all gateway replicas, so a logout takes effect at
 * once everywhere. Without Redis nothing can be known: fail closed with 503.
 */
@Injectable()
export class RevocationList {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async assertActive(userId: string, sessionId: string): Promise<void> {
    let revoked: [number, number];
    try {
      const [session, user] = await this.redis.mget(revokedSessionKey(sessionId), revokedUserKey(userId));
      revoked = [session ? 1 : 0, user ? 1 : 0];
    } catch {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Sign-in state cannot be checked right now', {
        retryAfterSeconds: 5,
      });
    }
    if (revoked[1]) throw new DomainError(ErrorCode.ACCOUNT_DISABLED, 'This account is disabled');
    if (revoked[0]) throw new DomainError(ErrorCode.SESSION_REVOKED, 'This session has ended; sign in again');
  }
}

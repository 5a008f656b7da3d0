import type { authV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import { AuthRepository } from './auth.repository.js';
import { Clock } from './clock.js';
import { RefreshGraceStore } from './refresh-grace-store.js';
import { RefreshPolicy } from './refresh-policy.js';
import { RevocationPublisher } from './revocation-publisher.js';
import { SECURITY_LOG, type SecurityLog } from './security-log.js';
import { REFRESH_TOKEN_PATTERN, SessionFactory } from './session-factory.js';
import { sha256Hex } from './sha256.js';
import type { UserEntity } from './user.entity.js';

/** What the locked transaction decided; the answers that need no lock are given after it. */
type Exchange =
  | { outcome: 'unknown' | 'ended' | 'disabled' }
  | { outcome: 'reused'; userId: string; familyId: string }
  | { outcome: 'rotated'; user: UserEntity; familyId: string; refreshToken: string }
  | { outcome: 'grace'; user: UserEntity; familyId: string; predecessorId: string };

/**
 * Refresh-token rotation with reuse detection (RFC 9700 §4.14.2), a grace window for a
 * client racing itself, and idle plus absolute ends of families (RefreshPolicy decides).
 */
@Injectable()
export class RefreshService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly sessions: SessionFactory,
    private readonly policy: RefreshPolicy,
    private readonly grace: RefreshGraceStore,
    private readonly revocations: RevocationPublisher,
    private readonly clock: Clock,
    @Inject(SECURITY_LOG) private readonly securityLog: SecurityLog,
  ) {}

  /**
   * Exchanges a refresh token for a new pair in the same family. A token used a second
   * time means two parties hold it: the whole family is revoked and every access token of
   * it stops working at once, unless it is the token just rotated, presented again within
   * the grace window, which gets the same successor (or REFRESH_IN_PROGRESS, retryable).
   */
  async refresh(refreshToken: string): Promise<authV1.RefreshResponse> {
    if (typeof refreshToken !== 'string' || !REFRESH_TOKEN_PATTERN.test(refreshToken)) throw invalidRefreshToken();
    const exchange = await this.exchange(refreshToken);
    switch (exchange.outcome) {
      case 'unknown':
        throw invalidRefreshToken();
      case 'ended':
        throw sessionRevoked();
      case 'disabled':
        throw new DomainError(ErrorCode.ACCOUNT_DISABLED, 'Account disabled');
      case 'reused':
        return this.reused(exchange.userId, exchange.familyId);
      case 'rotated':
        return { session: await this.sessions.toAuthSession(exchange.user, exchange.familyId, exchange.refreshToken) };
      case 'grace': {
        const successor = await this.grace.recall(exchange.predecessorId, refreshToken);
        // Only when the kept successor is lost (Redis restarted, its entry evicted): the
        // other request holds the successor, so this one must not revoke the family.
        if (successor === null) {
          throw new DomainError(ErrorCode.REFRESH_IN_PROGRESS, 'This session is being refreshed; retry', {
            retryAfterSeconds: 1,
          });
        }
        this.securityLog.info(
          { event: 'refresh_grace_replay', familyId: exchange.familyId, userId: exchange.user.id },
          'refresh token presented again within the grace window; same successor returned',
        );
        return { session: await this.sessions.toAuthSession(exchange.user, exchange.familyId, successor) };
      }
    }
  }

  private exchange(refreshToken: string): Promise<Exchange> {
    const now = this.clock.now();
    return this.repository.withLockedRefreshToken(sha256Hex(refreshToken), async (locked): Promise<Exchange> => {
      if (!locked) return { outcome: 'unknown' };
      const { presented, successor } = locked;
      const verdict = this.policy.judge(presented, successor);
      if (verdict === 'ended') return { outcome: 'ended' };
      if (verdict === 'reused') {
        await locked.revokeFamily(now);
        return { outcome: 'reused', userId: presented.userId, familyId: presented.familyId };
      }
      const user = await locked.user();
      if (!user || user.disabledAt) return { outcome: 'disabled' };
      if (verdict === 'grace') {
        return { outcome: 'grace', user, familyId: presented.familyId, predecessorId: presented.id };
      }

      const next = this.sessions.nextToken();
      await locked.rotate(next, now);
      if (this.policy.graceEnabled) {
        // Written before the commit, while the row lock is held: a concurrent use of the
        // same token waits on that lock and then finds the successor here. If Redis fails,
        // the whole rotation rolls back and the presented token stays usable.
        await this.grace.keep(presented.id, refreshToken, next.refreshToken, this.policy.graceSeconds * 1000);
      }
      return { outcome: 'rotated', user, familyId: presented.familyId, refreshToken: next.refreshToken };
    });
  }

  private async reused(userId: string, familyId: string): Promise<never> {
    // The family id identifies the incident; the token itself is never logged.
    this.securityLog.warn(
      { event: 'refresh_token_reuse', familyId, userId },
      'refresh token reused; session family revoked',
    );
    try {
      await this.revocations.sessionsRevoked([familyId]);
    } catch (error) {
      // The family is revoked in the database already; the reuse answer matters more.
      this.securityLog.error(
        { event: 'revocation_marker_failed', familyId, error: (error as Error).message },
        'could not publish the revocation of a reused family',
      );
    }
    throw new DomainError(ErrorCode.REFRESH_TOKEN_REUSED, 'Refresh token already used; session revoked');
  }
}

function sessionRevoked(): DomainError {
  return new DomainError(ErrorCode.SESSION_REVOKED, 'Session revoked or expired');
}

function invalidRefreshToken(): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, 'Invalid refresh token');
}

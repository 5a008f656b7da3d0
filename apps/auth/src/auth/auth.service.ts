import type { authV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { AuthRepository } from './auth.repository.js';
import { Clock } from './clock.js';
import { ANONYMOUS_GROUP } from './credentials.js';
import { RevocationPublisher } from './revocation-publisher.js';
import { SECURITY_LOG, type SecurityLog } from './security-log.js';
import { REFRESH_TOKEN_PATTERN, SessionFactory } from './session-factory.js';
import { sha256Hex } from './sha256.js';
import { TokenService } from './token.service.js';
import type { UserEntity } from './user.entity.js';
import { toUserContract } from './user.mapper.js';

export const MAX_FINGERPRINT_LENGTH = 256;

/** Anonymous identities, access-token verification and refresh-token rotation. */
@Injectable()
export class AuthService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly tokens: TokenService,
    private readonly sessions: SessionFactory,
    private readonly revocations: RevocationPublisher,
    private readonly clock: Clock,
    @Inject(SECURITY_LOG) private readonly securityLog: SecurityLog,
  ) {}

  async createAnonymousUser(fingerprint: string | undefined): Promise<authV1.CreateAnonymousUserResponse> {
    const fingerprintHash = this.hashFingerprint(fingerprint);
    const now = this.clock.now();
    const user: UserEntity = {
      id: uuidv7(),
      groupName: ANONYMOUS_GROUP,
      email: null,
      passwordHash: null,
      displayName: null,
      fingerprintHash,
      disabledAt: null,
      createdAt: now,
    };
    const family = this.sessions.newFamily(user.id, now);
    await this.repository.createUserWithSession(user, family.session);

    const session = await this.sessions.toAuthSession(user, family.session.familyId, family.refreshToken);
    return {
      user: toUserContract(user),
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      expiresIn: session.expiresIn,
    };
  }

  /**
   * Who a token names, with the group read from the database, so a group change or a
   * revocation takes effect on the next request rather than when the token expires.
   */
  async verifyAccessToken(accessToken: string): Promise<authV1.VerifyAccessTokenResponse> {
    const claims = await this.tokens.verify(accessToken);
    const state = await this.repository.findSessionState(claims.userId, claims.sessionId);
    if (!state) throw sessionRevoked();
    if (state.userDisabledAt) throw new DomainError(ErrorCode.ACCOUNT_DISABLED, 'Account disabled');
    if (state.sessionRevokedAt || state.sessionExpiresAt.getTime() <= this.clock.now().getTime()) {
      throw sessionRevoked();
    }
    return { userId: claims.userId, group: state.userGroup, sessionId: claims.sessionId };
  }

  /**
   * Exchanges a refresh token for a new pair in the same family. A token used a second
   * time means two parties hold it (RFC 9700 §4.14.2): the whole family is revoked and
   * every access token of it stops working at once.
   */
  async refresh(refreshToken: string): Promise<authV1.RefreshResponse> {
    if (typeof refreshToken !== 'string' || !REFRESH_TOKEN_PATTERN.test(refreshToken)) throw invalidRefreshToken();
    const now = this.clock.now();
    const next = this.sessions.nextToken();
    const result = await this.repository.rotateRefreshToken(sha256Hex(refreshToken), next, now);
    switch (result.outcome) {
      case 'unknown':
        throw invalidRefreshToken();
      case 'reused':
        // The family id identifies the incident; the token itself is never logged.
        this.securityLog.warn(
          { event: 'refresh_token_reuse', familyId: result.familyId, userId: result.userId },
          'refresh token reused; session family revoked',
        );
        try {
          await this.revocations.sessionsRevoked([result.familyId]);
        } catch (error) {
          // The family is revoked in the database already; the reuse answer matters more.
          this.securityLog.error(
            { event: 'revocation_marker_failed', familyId: result.familyId, error: (error as Error).message },
            'could not publish the revocation of a reused family',
          );
        }
        throw new DomainError(ErrorCode.REFRESH_TOKEN_REUSED, 'Refresh token already used; session revoked');
      case 'ended':
        throw sessionRevoked();
      case 'disabled':
        throw new DomainError(ErrorCode.ACCOUNT_DISABLED, 'Account disabled');
      case 'rotated':
        return { session: await this.sessions.toAuthSession(result.user, result.familyId, next.refreshToken) };
    }
  }

  private hashFingerprint(fingerprint: string | undefined): string | null {
    // proto3 sends an absent string as ''.
    if (fingerprint === undefined || fingerprint === '') return null;
    if (typeof fingerprint !== 'string' || fingerprint.length > MAX_FINGERPRINT_LENGTH) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid fingerprint', {
        field: 'fingerprint',
        maxLength: MAX_FINGERPRINT_LENGTH,
      });
    }
    return sha256Hex(fingerprint);
  }
}

function sessionRevoked(): DomainError {
  return new DomainError(ErrorCode.SESSION_REVOKED, 'Session revoked or expired');
}

function invalidRefreshToken(): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, 'Invalid refresh token');
}

import type { authV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { AuthRepository } from './auth.repository.js';
import { Clock } from './clock.js';
import { ANONYMOUS_GROUP } from './credentials.js';
import { SessionFactory } from './session-factory.js';
import { sha256Hex } from './sha256.js';
import { TokenService } from './token.service.js';
import type { UserEntity } from './user.entity.js';
import { toUserContract } from './user.mapper.js';

export const MAX_FINGERPRINT_LENGTH = 256;

/** Anonymous identities and access-token verification (rotation is RefreshService's). */
@Injectable()
export class AuthService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly tokens: TokenService,
    private readonly sessions: SessionFactory,
    private readonly clock: Clock,
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

import type { authV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';
import { AuthRepository } from './auth.repository.js';
import { Clock } from './clock.js';
import type { SessionEntity } from './session.entity.js';
import { TokenService } from './token.service.js';
import { ANONYMOUS_GROUP, type UserEntity } from './user.entity.js';
import { toUserContract } from './user.mapper.js';

export const MAX_FINGERPRINT_LENGTH = 256;
/** 256 bits: a refresh token cannot be guessed, so its plain SHA-256 is a safe lookup key. */
const REFRESH_TOKEN_BYTES = 32;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly repository: AuthRepository,
    private readonly tokens: TokenService,
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
    const refreshToken = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
    const session: SessionEntity = {
      id: uuidv7(),
      userId: user.id,
      familyId: uuidv7(),
      refreshTokenHash: sha256Hex(refreshToken),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.AUTH_SESSION_TTL_SECONDS * 1000),
      revokedAt: null,
    };
    await this.repository.createUserWithSession(user, session);

    const access = await this.tokens.issue({ userId: user.id, sessionId: session.id, group: user.groupName });
    return {
      user: toUserContract(user),
      accessToken: access.token,
      refreshToken,
      expiresIn: access.expiresIn,
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

import type { authV1 } from '@lexy/contracts-grpc';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';
import type { NextRefreshToken } from './auth.repository.js';
import type { SessionEntity } from './session.entity.js';
import { sha256Hex } from './sha256.js';
import { accessTokenReachSeconds, TokenService } from './token.service.js';
import type { UserEntity } from './user.entity.js';
import { toUserContract } from './user.mapper.js';

/** 256 bits: a refresh token cannot be guessed, so its plain SHA-256 is a safe lookup key. */
const REFRESH_TOKEN_BYTES = 32;
/** The exact shape of the refresh tokens we hand out (32 bytes, base64url, no padding). */
export const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface NewFamily {
  session: SessionEntity;
  refreshToken: string;
}

/** Makes session rows, refresh tokens and the token pairs sent to clients. */
@Injectable()
export class SessionFactory {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly tokens: TokenService,
  ) {}

  /**
   * The first row of a new family. Its id is the family id, which is also the session id
   * the access tokens carry, so revoking the family ends them.
   */
  newFamily(userId: string, now: Date): NewFamily {
    const familyId = uuidv7();
    const refreshToken = newRefreshToken();
    return {
      refreshToken,
      session: {
        id: familyId,
        userId,
        familyId,
        refreshTokenHash: sha256Hex(refreshToken),
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.AUTH_SESSION_TTL_SECONDS * 1000),
        revokedAt: null,
        rotatedAt: null,
        replacedBy: null,
      },
    };
  }

  /** A successor token for rotation. */
  nextToken(): NextRefreshToken & { refreshToken: string } {
    const refreshToken = newRefreshToken();
    return { id: uuidv7(), refreshToken, refreshTokenHash: sha256Hex(refreshToken) };
  }

  async toAuthSession(user: UserEntity, familyId: string, refreshToken: string): Promise<authV1.AuthSession> {
    const access = await this.tokens.issue({ userId: user.id, sessionId: familyId, group: user.groupName });
    return { user: toUserContract(user), accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
  }

  /**
   * Sessions whose access tokens may still be alive: those that ended less than one
   * access-token lifetime (plus leeway) ago.
   */
  liveAfter(now: Date): Date {
    return new Date(now.getTime() - accessTokenReachSeconds(this.config) * 1000);
  }
}

function newRefreshToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

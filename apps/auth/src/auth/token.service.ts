import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';
import { Clock } from './clock.js';

/** What an access token asserts about its bearer. */
export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
  group: string;
}

export interface IssuedAccessToken {
  token: string;
  /** Lifetime in seconds. */
  expiresIn: number;
}

const ALGORITHM = 'HS256';
const TOKEN_TYPE = 'at+jwt';
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * How long after a session ends one of its access tokens may still be presented: a token
 * lifetime plus headroom over the clock tolerance. Revocation markers must live this long,
 * and sessions that ended this recently still need one.
 */
export function accessTokenReachSeconds(config: Pick<AuthConfig, 'AUTH_ACCESS_TOKEN_TTL_SECONDS'>): number {
  return config.AUTH_ACCESS_TOKEN_TTL_SECONDS + 60;
}
/** Ours are ~400 characters; anything far longer is refused before a byte of it is decoded. */
export const MAX_ACCESS_TOKEN_LENGTH = 4096;
/** Three base64url segments and a non-empty signature: the only shape we ever issue. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/**
 * We issue exactly these header parameters. Rejecting any other (kid, jku, x5u, jwk, x5c,
 * crit, …) means no header can steer key selection or make us fetch anything.
 */
const ALLOWED_HEADER_PARAMETERS = new Set(['alg', 'typ']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Issues and verifies access tokens: JWT signed with HS256 under one server secret
 * (RFC 8725 practices: fixed algorithm list, explicit typ, iss and aud checked).
 */
@Injectable()
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(config.AUTH_JWT_SECRET);
  }

  async issue(claims: AccessTokenClaims): Promise<IssuedAccessToken> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const expiresIn = this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ sid: claims.sessionId, grp: claims.group })
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
      .setSubject(claims.userId)
      .setIssuer(this.config.AUTH_JWT_ISSUER)
      .setAudience(this.config.AUTH_JWT_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + expiresIn)
      .setJti(randomUUID())
      .sign(this.key);
    return { token, expiresIn };
  }

  /**
   * Returns the token's claims, or throws TOKEN_EXPIRED for a genuine token past its
   * exp (plus leeway) and UNAUTHENTICATED for anything else that is wrong with it.
   */
  async verify(token: string): Promise<AccessTokenClaims> {
    if (typeof token !== 'string' || token.length > MAX_ACCESS_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
      throw invalidToken();
    }
    this.assertHeader(token);

    const now = this.clock.now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        typ: TOKEN_TYPE,
        issuer: this.config.AUTH_JWT_ISSUER,
        audience: this.config.AUTH_JWT_AUDIENCE,
        requiredClaims: ['exp', 'iat', 'sub', 'sid'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: now,
      }));
    } catch (error) {
      // jose checks the signature before any claim, so only a token we signed can be "expired".
      if (error instanceof joseErrors.JWTExpired) {
        throw new DomainError(ErrorCode.TOKEN_EXPIRED, 'Access token expired');
      }
      throw invalidToken();
    }

    // jose checks iat only together with maxTokenAge; a token from the future is forged or
    // from a badly skewed issuer either way.
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (typeof payload.iat !== 'number' || payload.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) {
      throw invalidToken();
    }
    const { sub, sid, grp } = payload;
    if (typeof sub !== 'string' || !UUID.test(sub) || typeof sid !== 'string' || !UUID.test(sid)) {
      throw invalidToken();
    }
    if (typeof grp !== 'string' || grp.length === 0 || grp.length > 32) throw invalidToken();
    return { userId: sub, sessionId: sid, group: grp };
  }

  private assertHeader(token: string): void {
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw invalidToken();
    }
    if (Object.keys(header).some((name) => !ALLOWED_HEADER_PARAMETERS.has(name))) throw invalidToken();
  }
}

function invalidToken(): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, 'Invalid access token');
}

import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { RevocationList } from './revocation-list.js';
import { TokenVerifier, type VerifiedToken } from './token-verifier.js';

export const ACCESS_TOKEN_STRATEGY = 'access-token';
const BEARER = /^Bearer ([\w.~+/=-]{1,4096})$/i;

/** The bearer token of a request, or undefined when it sends no Authorization header. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const token = BEARER.exec(header)?.[1];
  if (!token) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The access token is missing or malformed');
  return token;
}

/**
 * Passport strategy for our access tokens (JWTs issued by the auth service): the auth
 * service verifies signature, algorithm and claims; Redis says whether the session was
 * revoked since. The result becomes `request.user`.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(
    private readonly tokens: TokenVerifier,
    private readonly revocations: RevocationList,
  ) {
    super();
  }

  async validate(request: Request): Promise<VerifiedToken> {
    const token = bearerToken(request);
    if (!token) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'An access token is required');
    const verified = await this.tokens.verify(token);
    await this.revocations.assertActive(verified.userId, verified.sessionId);
    return verified;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { AUTH_CLIENT, type AuthClient } from '../grpc/grpc-clients.js';

export interface VerifiedToken {
  userId: string;
  group: string;
  sessionId: string;
}

const MAX_ENTRIES = 10_000;

/**
 * Verifies access tokens with the auth service (the one place that holds the keys and
 * checks algorithm, claims and session) and remembers a good answer briefly, so busy
 * clients do not cost a gRPC call per request. Revocation is not cached: RevocationList
 * checks it on every request.
 */
@Injectable()
export class TokenVerifier {
  private readonly cache = new Map<string, { verified: VerifiedToken; until: number }>();
  private readonly ttlMs: number;

  constructor(
    @Inject(AUTH_CLIENT) private readonly auth: AuthClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.ttlMs = config.GATEWAY_TOKEN_CACHE_SECONDS * 1000;
  }

  async verify(token: string): Promise<VerifiedToken> {
    const key = createHash('sha256').update(token).digest('base64url');
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.verified;

    const verified = await this.auth.verifyAccessToken({ accessToken: token });
    if (this.ttlMs > 0) {
      if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { verified, until: now + Math.min(this.ttlMs, msUntilExpiry(token, now)) });
    }
    return verified;
  }
}

/** The token's own expiry bounds how long its verification is remembered. */
function msUntilExpiry(token: string, now: number): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? Math.max(0, payload.exp * 1000 - now) : 0;
  } catch {
    return 0;
  }
}

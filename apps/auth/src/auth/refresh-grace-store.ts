import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';
import { REDIS } from '../redis/redis.providers.js';
import { openSuccessor, sealSuccessor } from './successor-seal.js';

/**
 * Keeps the successor of a just-rotated refresh token retrievable for the grace window,
 * so a second tab presenting the same token gets the same successor.
 *
 * Why Redis and not MySQL: MySQL holds refresh tokens only as SHA-256 hashes, and a
 * retrievable token there would outlive the window in every backup. In Redis the value
 * expires with the window by itself (PX), is shared by every replica, and is sealed under
 * a key derived from the predecessor token (see successor-seal.ts), so a Redis dump holds
 * nothing usable either.
 */
@Injectable()
export class RefreshGraceStore {
  private readonly prefix: string;

  constructor(
    @Inject(AUTH_CONFIG) config: AuthConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.prefix = config.AUTH_REDIS_PREFIX;
  }

  key(predecessorId: string): string {
    return `${this.prefix}refresh-grace:${predecessorId}`;
  }

  /** Stores the successor for `ttlMs`; SERVICE_UNAVAILABLE when Redis cannot be written. */
  async keep(predecessorId: string, predecessorToken: string, successorToken: string, ttlMs: number): Promise<void> {
    const sealed = sealSuccessor(predecessorToken, predecessorId, successorToken);
    try {
      await this.redis.set(this.key(predecessorId), sealed, 'PX', ttlMs);
    } catch {
      throw unavailable();
    }
  }

  /** The successor kept for this predecessor, or null when there is none (or it does not open). */
  async recall(predecessorId: string, predecessorToken: string): Promise<string | null> {
    let sealed: string | null;
    try {
      sealed = await this.redis.get(this.key(predecessorId));
    } catch {
      throw unavailable();
    }
    return sealed === null ? null : openSuccessor(predecessorToken, predecessorId, sealed);
  }
}

function unavailable(): DomainError {
  return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Sessions cannot be refreshed right now; retry', {
    retryAfterSeconds: 5,
  });
}

import { Inject, Injectable } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth.config.js';
import { Clock } from './clock.js';
import type { SessionEntity } from './session.entity.js';

/** What the policy needs to know about one refresh-token row. */
export type RefreshTokenState = Pick<SessionEntity, 'createdAt' | 'expiresAt' | 'revokedAt' | 'rotatedAt'>;

export type RefreshVerdict =
  /** The family's current token: exchange it for a successor. */
  | 'rotate'
  /** The immediate predecessor of the current token, presented again within the grace window. */
  | 'grace'
  /** A token used before, outside the grace window or older than the predecessor: theft. */
  | 'reused'
  /** The family was revoked, passed its absolute end, or sat idle too long. */
  | 'ended';

/**
 * Decides what presenting a refresh token means (RFC 9700 §4.14.2 with a grace period).
 * A rotated token is reuse, except the one just rotated, within a short window, while its
 * successor is still the family's current token: that is a client racing itself (two tabs
 * refreshing at once), and they get the same successor.
 * Every window is half-open: at exactly its end, it is over.
 */
@Injectable()
export class RefreshPolicy {
  private readonly graceMs: number;
  private readonly idleMs: number;

  constructor(
    @Inject(AUTH_CONFIG) config: Pick<AuthConfig, 'AUTH_REFRESH_GRACE_SECONDS' | 'AUTH_REFRESH_IDLE_SECONDS'>,
    private readonly clock: Clock,
  ) {
    this.graceMs = config.AUTH_REFRESH_GRACE_SECONDS * 1000;
    this.idleMs = config.AUTH_REFRESH_IDLE_SECONDS * 1000;
  }

  /** Whether successors are kept for replays at all (a grace window of 0 turns it off). */
  get graceEnabled(): boolean {
    return this.graceMs > 0;
  }

  get graceSeconds(): number {
    return this.graceMs / 1000;
  }

  /**
   * `presented` is the row of the token sent; `successor` the row that replaced it (null
   * when it was never rotated or its successor is gone).
   */
  judge(presented: RefreshTokenState, successor: RefreshTokenState | null): RefreshVerdict {
    const now = this.clock.now().getTime();
    if (presented.rotatedAt === null) {
      if (presented.revokedAt !== null || presented.expiresAt.getTime() <= now) return 'ended';
      // The current row was created by the last refresh (or the sign-in): that is the last use.
      if (presented.createdAt.getTime() + this.idleMs <= now) return 'ended';
      return 'rotate';
    }
    const inGraceWindow = now < presented.rotatedAt.getTime() + this.graceMs;
    if (inGraceWindow && successor !== null && successor.rotatedAt === null) {
      // A family signed out in the meantime stays signed out; that is no sign of theft either.
      if (presented.revokedAt !== null || successor.revokedAt !== null) return 'ended';
      if (successor.expiresAt.getTime() <= now) return 'ended';
      return 'grace';
    }
    return 'reused';
  }
}

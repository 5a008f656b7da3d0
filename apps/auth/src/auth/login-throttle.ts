import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { Redis } from 'ioredis';
import type { Clock } from './clock.js';
import { sha256Hex } from './sha256.js';

/** Counters shared by every replica (Redis in production, a Map in unit tests). */
export interface CounterStore {
  /** Adds 1 to each key, (re)setting its expiry, and returns the new values in order. */
  increment(keys: string[], ttlSeconds: number): Promise<number[]>;
  /** Takes 1 back from each key. */
  decrement(keys: string[]): Promise<void>;
}

export interface ThrottleLimits {
  windowSeconds: number;
  /** Failed attempts per account (normalised email) per window. */
  perAccount: number;
  /** Failed attempts per source address per window, whatever the accounts. */
  perSource: number;
}

/** 10 per account and 50 per source in 15 minutes: at most 40 guesses an hour on one account (AUTH-06). */
export const LOGIN_LIMITS: ThrottleLimits = { windowSeconds: 15 * 60, perAccount: 10, perSource: 50 };

/** A reserved attempt: give it back when the password turned out right. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

/**
 * Limits password guesses per account and per source, in fixed windows.
 *
 * Each attempt first reserves a slot: it increments the counters of the current window
 * (INCR + EXPIRE, keys named by window number) and is refused with RATE_LIMITED when any
 * counter passes its limit — before the password is looked at, so a right password during
 * a lock-out is refused too and a burst of parallel guesses cannot slip past the check.
 * A right password gives its slot back, so the counters hold failures (plus refused
 * attempts). Locks end with the window: never permanent. Fixed windows let a patient
 * attacker place up to twice the limit around a window boundary; still far below the
 * 100 per hour AUTH-06 allows. When the store fails, nobody may log in (fail closed).
 */
export class LoginThrottle {
  constructor(
    private readonly store: CounterStore,
    private readonly clock: Clock,
    private readonly prefix: string,
    private readonly limits: ThrottleLimits = LOGIN_LIMITS,
  ) {}

  /**
   * Reserves an attempt on `email` (normalised) from `source` (null: no per-source
   * limit, for calls that carry no address), or throws RATE_LIMITED / SERVICE_UNAVAILABLE.
   */
  async begin(email: string, source: string | null): Promise<LoginAttempt> {
    const nowMs = this.clock.now().getTime();
    const windowMs = this.limits.windowSeconds * 1000;
    const window = Math.floor(nowMs / windowMs);
    const keys = [this.key('account', email, window)];
    const limits = [this.limits.perAccount];
    if (source !== null) {
      keys.push(this.key('source', source, window));
      limits.push(this.limits.perSource);
    }

    let counts: number[];
    try {
      counts = await this.store.increment(keys, this.limits.windowSeconds * 2);
    } catch {
      throw unavailable();
    }
    if (counts.some((count, index) => count > (limits[index] ?? 0))) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - nowMs) / 1000));
      throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many failed sign-in attempts; try again later', {
        retryAfterSeconds,
      });
    }
    return {
      succeeded: async () => {
        // Best effort: a lost decrement only makes the limit a little stricter.
        await this.store.decrement(keys).catch(() => undefined);
      },
    };
  }

  // Hashed: the keys then never hold an email or an address, and have a bounded length.
  private key(kind: 'account' | 'source', value: string, window: number): string {
    return `${this.prefix}login-failures:${kind}:${sha256Hex(value)}:${window}`;
  }
}

function unavailable(): DomainError {
  return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Sign-in is unavailable right now', {
    retryAfterSeconds: 5,
  });
}

/** CounterStore on Redis: one MULTI per call, so a counter never exists without its expiry. */
export class RedisCounterStore implements CounterStore {
  constructor(private readonly redis: Redis) {}

  async increment(keys: string[], ttlSeconds: number): Promise<number[]> {
    const multi = this.redis.multi();
    for (const key of keys) multi.incr(key).expire(key, ttlSeconds);
    const results = await multi.exec();
    if (!results) throw new Error('Redis transaction aborted');
    return keys.map((_, index) => {
      const [error, value] = results[index * 2] ?? [new Error('missing result'), null];
      if (error) throw error;
      return Number(value);
    });
  }

  async decrement(keys: string[]): Promise<void> {
    const multi = this.redis.multi();
    for (const key of keys) multi.decr(key);
    await multi.exec();
  }
}

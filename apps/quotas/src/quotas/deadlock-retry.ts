import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const ER_LOCK_DEADLOCK = 1213;

/** InnoDB's deadlock error; the victim's transaction is already rolled back. */
export function isDeadlockError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errno, code, driverError } = error as { errno?: unknown; code?: unknown; driverError?: unknown };
  if (errno === ER_LOCK_DEADLOCK || code === 'ER_LOCK_DEADLOCK') return true;
  return driverError !== undefined && driverError !== error && isDeadlockError(driverError);
}

export interface DeadlockRetryOptions {
  /** Extra attempts after the first one. */
  retries?: number;
  /** Upper bound, in ms, of the random pause before the first retry; it doubles for each next one. */
  maxJitterMs?: number;
  /** Injected by tests. */
  pause?: (ms: number) => Promise<unknown>;
}

/**
 * Runs a whole transaction again when InnoDB picked it as a deadlock victim. Concurrent
 * first reservations of one owner race to insert its account row, which can deadlock, and
 * so can inserts of neighbouring rows through InnoDB's gap locks when many transactions run
 * at once. The random pause keeps the retried transactions from colliding in lockstep again;
 * its bound doubles with each attempt, so a crowd thins out instead of exhausting the retries
 * (three retries of 25 ms were seen to run out under a loaded test run).
 */
export async function withDeadlockRetry<T>(work: () => Promise<T>, options: DeadlockRetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 6;
  const maxJitterMs = options.maxJitterMs ?? 25;
  const pause = options.pause ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= retries || !isDeadlockError(error)) throw error;
      await pause(randomInt(1, maxJitterMs * 2 ** attempt + 1));
    }
  }
}

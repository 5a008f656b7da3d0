/**
 * The arithmetic of the pickup-code policy (security-cases.md, "Pickup-code policy"; PC-02):
 * pure functions of what the store holds and the time, so every window and lock-out can be
 * tested with a fake clock. PickupLimitStore keeps the same state in Redis; its failure script
 * is the atomic twin of `recordFailure` below and indexes `lockoutDurationsMs` for the lengths.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface PickupLimitPolicy {
  /** Failed lookups a source may make in any 60 s; the next one is refused. */
  failuresPerMinute: number;
  /** Failed lookups in a rolling hour that lock the source out. */
  failuresPerHour: number;
  /** The first lock-out; each repeat while the last is remembered doubles it. */
  lockoutMs: number;
  /** No lock-out is longer than this. */
  maxLockoutMs: number;
  /** How long after a lock-out ends the next one still counts as a repeat. */
  lockoutMemoryMs: number;
  /** Failed lookups of everyone per (sliding) hour; past it anonymous lookups need a proof of work. */
  globalFailureBudget: number;
}

export const DEFAULT_PICKUP_LIMIT_POLICY: PickupLimitPolicy = {
  failuresPerMinute: 5,
  failuresPerHour: 20,
  lockoutMs: HOUR_MS,
  maxLockoutMs: DAY_MS,
  lockoutMemoryMs: DAY_MS,
  globalFailureBudget: 1_000,
};

/** Everything the store keeps for one source key (an address, an account or a device). */
export interface SourceState {
  /** Times of the failures of the last hour, oldest first. */
  failures: number[];
  /** The end of the current lock-out; 0 or a past time when there is none. */
  lockedUntil: number;
  /** How many lock-outs in a row this source has had. */
  lockoutLevel: number;
  /** When the level is forgotten (the memory after the last lock-out's end). */
  levelExpiresAt: number;
}

export const FRESH_SOURCE: SourceState = { failures: [], lockedUntil: 0, lockoutLevel: 0, levelExpiresAt: 0 };

/** What a lookup needs to know about one source: read in the one round trip before it. */
export interface SourceSnapshot {
  lockedUntil: number;
  /** Failure times of the last minute, oldest first. */
  recentFailures: number[];
}

export type RateLimitKind = 'per-minute' | 'locked';

export type SourceVerdict = { allowed: true } | { allowed: false; limit: RateLimitKind; retryAfterMs: number };

/** The length of the `level`-th lock-out in a row: doubling from the first, capped. */
export function lockoutDurationMs(level: number, policy: PickupLimitPolicy): number {
  return Math.min(policy.lockoutMs * 2 ** Math.max(0, level - 1), policy.maxLockoutMs);
}

/** Lock-out lengths by level, up to the first capped one (which every later level reuses). */
export function lockoutDurationsMs(policy: PickupLimitPolicy): number[] {
  const durations = [lockoutDurationMs(1, policy)];
  while (durations.at(-1)! < policy.maxLockoutMs) durations.push(lockoutDurationMs(durations.length + 1, policy));
  return durations;
}

/** A failed lookup charged to a source at `now`. A success changes nothing (it resets no counter). */
export function recordFailure(state: SourceState, now: number, policy: PickupLimitPolicy): SourceState {
  const failures = [...state.failures.filter((at) => at > now - HOUR_MS), now];
  // Lookups already in flight when the lock began still land here; they do not lock again.
  if (failures.length < policy.failuresPerHour || state.lockedUntil > now) return { ...state, failures };
  const level = (state.levelExpiresAt > now ? state.lockoutLevel : 0) + 1;
  const duration = lockoutDurationMs(level, policy);
  // The lock-out uses up the failures that caused it: the next one takes a full hour's worth again.
  return {
    failures: [],
    lockedUntil: now + duration,
    lockoutLevel: level,
    levelExpiresAt: now + duration + policy.lockoutMemoryMs,
  };
}

/** What the store's check reads of a source at `now`. */
export function snapshotOf(state: SourceState, now: number): SourceSnapshot {
  return { lockedUntil: state.lockedUntil, recentFailures: state.failures.filter((at) => at > now - MINUTE_MS) };
}

/** Whether one source may look a code up at `now`, and if not, for how long it must wait. */
export function sourceVerdict(snapshot: SourceSnapshot, now: number, policy: PickupLimitPolicy): SourceVerdict {
  if (snapshot.lockedUntil > now) return { allowed: false, limit: 'locked', retryAfterMs: snapshot.lockedUntil - now };
  const recent = snapshot.recentFailures.filter((at) => at > now - MINUTE_MS);
  if (recent.length < policy.failuresPerMinute) return { allowed: true };
  // Allowed again once enough failures left the minute to be below the limit.
  const oldestThatMustLeave = recent[recent.length - policy.failuresPerMinute]!;
  return { allowed: false, limit: 'per-minute', retryAfterMs: oldestThatMustLeave + MINUTE_MS - now };
}

/** A lookup is charged to every source key that applies: any one of them refusing refuses it. */
export function combinedVerdict(snapshots: SourceSnapshot[], now: number, policy: PickupLimitPolicy): SourceVerdict {
  let strictest: SourceVerdict = { allowed: true };
  for (const snapshot of snapshots) {
    const verdict = sourceVerdict(snapshot, now, policy);
    if (!verdict.allowed && (strictest.allowed || verdict.retryAfterMs > strictest.retryAfterMs)) strictest = verdict;
  }
  return strictest;
}

/** Failed lookups of everyone, counted per clock hour. */
export interface GlobalCounts {
  previousHour: number;
  currentHour: number;
}

export const hourIndex = (now: number) => Math.floor(now / HOUR_MS);

/**
 * Failures in the hour before `now`, estimated from two hourly counters (a sliding-window
 * counter): the previous hour weighted by the part of it still inside the window.
 */
export function globalFailureEstimate(counts: GlobalCounts, now: number): number {
  const elapsed = (now % HOUR_MS) / HOUR_MS;
  return counts.previousHour * (1 - elapsed) + counts.currentHour;
}

export function budgetExceeded(counts: GlobalCounts, now: number, policy: PickupLimitPolicy): boolean {
  return globalFailureEstimate(counts, now) >= policy.globalFailureBudget;
}

/** Whether the failure that made `after` (one more than before it) is the one that tripped the budget. */
export function budgetTrippedBy(after: GlobalCounts, now: number, policy: PickupLimitPolicy): boolean {
  const before = { ...after, currentHour: after.currentHour - 1 };
  return budgetExceeded(after, now, policy) && !budgetExceeded(before, now, policy);
}

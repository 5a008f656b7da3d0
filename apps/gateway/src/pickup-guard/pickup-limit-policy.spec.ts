import {
  budgetExceeded,
  budgetTrippedBy,
  combinedVerdict,
  DEFAULT_PICKUP_LIMIT_POLICY as policy,
  FRESH_SOURCE,
  globalFailureEstimate,
  HOUR_MS,
  lockoutDurationMs,
  lockoutDurationsMs,
  MINUTE_MS,
  recordFailure,
  snapshotOf,
  sourceVerdict,
  type SourceState,
} from './pickup-limit-policy.js';

/** A fake clock and one source, driven through lookups the way the interceptor drives them. */
function source(start = Date.UTC(2026, 10, 3, 12, 0, 0)) {
  let now = start;
  let state: SourceState = FRESH_SOURCE;
  return {
    get now() {
      return now;
    },
    get state() {
      return state;
    },
    advance(ms: number) {
      now += ms;
    },
    verdict: () => sourceVerdict(snapshotOf(state, now), now, policy),
    /** A wrong code: refused (and not charged) when the limits say so, else charged. */
    fail() {
      const verdict = sourceVerdict(snapshotOf(state, now), now, policy);
      if (verdict.allowed) state = recordFailure(state, now, policy);
      return verdict;
    },
  };
}

describe('per-source minute window', () => {
  it('allows 5 failures in a minute and refuses the 6th lookup until the oldest leaves the window', () => {
    const s = source();
    for (let i = 0; i < 5; i += 1) {
      expect(s.fail()).toEqual({ allowed: true });
      s.advance(1_000);
    }
    // failures at +0 s … +4 s; now +5 s: the one at +0 s leaves at +60 s
    expect(s.verdict()).toEqual({ allowed: false, limit: 'per-minute', retryAfterMs: 55_000 });
    s.advance(54_999);
    expect(s.verdict().allowed).toBe(false);
    s.advance(1);
    expect(s.verdict()).toEqual({ allowed: true });
  });

  it('is a sliding window, not a clock minute: 5 at the end of one minute still count at the start of the next', () => {
    const s = source(Date.UTC(2026, 0, 1, 0, 0, 58));
    for (let i = 0; i < 5; i += 1) s.fail();
    s.advance(3_000); // past the clock minute
    expect(s.verdict()).toMatchObject({ allowed: false, limit: 'per-minute' });
  });

  it('does not reset on a success: successes are never charged, failures stay counted', () => {
    const s = source();
    for (let i = 0; i < 4; i += 1) s.fail();
    // a correct code in between: the interceptor charges nothing, so the state is unchanged
    expect(s.verdict()).toEqual({ allowed: true });
    s.fail();
    expect(s.verdict()).toMatchObject({ allowed: false, limit: 'per-minute' });
  });
});

describe('rolling hour and lock-outs', () => {
  /** 20 failures, 5 a minute as the minute window allows. */
  function failAnHour(s: ReturnType<typeof source>) {
    let charged = 0;
    while (charged < policy.failuresPerHour) {
      if (s.fail().allowed) charged += 1;
      else s.advance(MINUTE_MS);
    }
  }

  it('locks a source for 1 h on its 20th failure in a rolling hour; a correct code then is refused too', () => {
    const s = source();
    failAnHour(s);
    const verdict = s.verdict();
    expect(verdict).toEqual({ allowed: false, limit: 'locked', retryAfterMs: HOUR_MS });
    s.advance(HOUR_MS - 1);
    expect(s.verdict()).toMatchObject({ allowed: false, limit: 'locked', retryAfterMs: 1 });
    s.advance(1);
    expect(s.verdict()).toEqual({ allowed: true });
  });

  it('counts a rolling hour: failures older than an hour drop out', () => {
    const s = source();
    for (let i = 0; i < 19; i += 1) {
      s.fail();
      s.advance(3 * MINUTE_MS); // 19 failures over 57 minutes
    }
    s.advance(4 * MINUTE_MS); // the first is now more than an hour old
    s.fail();
    expect(s.state.failures).toHaveLength(19);
    expect(s.verdict()).toEqual({ allowed: true });
    s.fail(); // 20 within the hour
    expect(s.verdict()).toMatchObject({ limit: 'locked' });
  });

  it('doubles the lock-out on each repeat within 24 h of the last, up to 24 h', () => {
    const s = source();
    const lengths: number[] = [];
    for (let round = 0; round < 8; round += 1) {
      failAnHour(s);
      const verdict = s.verdict();
      if (verdict.allowed) throw new Error('expected a lock-out');
      lengths.push(verdict.retryAfterMs / HOUR_MS);
      s.advance(verdict.retryAfterMs);
    }
    expect(lengths).toEqual([1, 2, 4, 8, 16, 24, 24, 24]);
  });

  it('starts again at 1 h when the last lock-out ended more than 24 h ago', () => {
    const s = source();
    failAnHour(s);
    s.advance(HOUR_MS);
    failAnHour(s);
    expect(s.verdict()).toMatchObject({ limit: 'locked', retryAfterMs: 2 * HOUR_MS });
    s.advance(2 * HOUR_MS + 24 * HOUR_MS);
    failAnHour(s);
    expect(s.verdict()).toMatchObject({ limit: 'locked', retryAfterMs: HOUR_MS });
  });

  it('does not lock again for failures of lookups that were already in flight when the lock began', () => {
    let state = FRESH_SOURCE;
    const now = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 20; i += 1) state = recordFailure(state, now + i, policy);
    const locked = state;
    for (let i = 0; i < 30; i += 1) state = recordFailure(state, now + 100 + i, policy);
    expect(state.lockedUntil).toBe(locked.lockedUntil);
    expect(state.lockoutLevel).toBe(1);
  });

  it('lists the lock-out lengths by level up to the cap, as the Redis script indexes them', () => {
    expect(lockoutDurationsMs(policy).map((ms) => ms / HOUR_MS)).toEqual([1, 2, 4, 8, 16, 24]);
    expect(lockoutDurationMs(40, policy)).toBe(24 * HOUR_MS);
    expect(lockoutDurationsMs({ ...policy, lockoutMs: 30 * HOUR_MS })).toEqual([24 * HOUR_MS]);
  });
});

describe('several keys per lookup', () => {
  it('refuses when any key refuses, with the longest wait', () => {
    const now = Date.UTC(2026, 0, 1);
    const fine = { lockedUntil: 0, recentFailures: [] };
    const minute = { lockedUntil: 0, recentFailures: [1, 2, 3, 4, 5].map((i) => now - 10_000 + i) };
    const locked = { lockedUntil: now + HOUR_MS, recentFailures: [] };
    expect(combinedVerdict([fine, fine], now, policy)).toEqual({ allowed: true });
    expect(combinedVerdict([fine, minute], now, policy)).toMatchObject({ allowed: false, limit: 'per-minute' });
    expect(combinedVerdict([minute, locked, fine], now, policy)).toEqual({
      allowed: false,
      limit: 'locked',
      retryAfterMs: HOUR_MS,
    });
  });
});

describe('global failure budget', () => {
  const budget = { ...policy, globalFailureBudget: 10 };
  const hourStart = Date.UTC(2026, 0, 1, 12);

  it('trips at the budget within an hour, and says which failure tripped it', () => {
    const now = hourStart + 20 * MINUTE_MS;
    expect(budgetExceeded({ previousHour: 0, currentHour: 9 }, now, budget)).toBe(false);
    expect(budgetExceeded({ previousHour: 0, currentHour: 10 }, now, budget)).toBe(true);
    expect(budgetTrippedBy({ previousHour: 0, currentHour: 10 }, now, budget)).toBe(true);
    expect(budgetTrippedBy({ previousHour: 0, currentHour: 11 }, now, budget)).toBe(false);
    expect(budgetTrippedBy({ previousHour: 0, currentHour: 9 }, now, budget)).toBe(false);
  });

  it('slides: the last hour counts in proportion to how much of it is still in the window', () => {
    const counts = { previousHour: 12, currentHour: 0 };
    expect(globalFailureEstimate(counts, hourStart)).toBe(12);
    expect(globalFailureEstimate(counts, hourStart + 15 * MINUTE_MS)).toBe(9);
    expect(budgetExceeded(counts, hourStart + 5 * MINUTE_MS, budget)).toBe(true); // 11
    expect(budgetExceeded(counts, hourStart + 15 * MINUTE_MS, budget)).toBe(false); // reset: 9
    expect(budgetExceeded({ previousHour: 12, currentHour: 1 }, hourStart + 15 * MINUTE_MS, budget)).toBe(true);
    expect(budgetExceeded({ previousHour: 0, currentHour: 0 }, hourStart + 59 * MINUTE_MS, budget)).toBe(false);
  });
});

import {
  chargePinAttempt,
  EMPTY_WINDOW,
  isPinClosed,
  PIN_CAPS,
  refundPinAttempt,
  type ChargeDecision,
  type PinCharge,
  type PinCounters,
} from './pin-attempt-policy.js';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const FRESH: PinCounters = { source: EMPTY_WINDOW, code: EMPTY_WINDOW, lifetimeFailures: 0 };

function charged(decision: ChargeDecision): PinCharge {
  if (!('charged' in decision)) throw new Error(`expected a charge, got ${JSON.stringify(decision)}`);
  return decision.charged;
}

/** `count` wrong PINs in a row at `now`, as the gate records them (charged, never refunded). */
function fail(counters: PinCounters, count: number, now: Date, linkTokenHolder = false): PinCounters {
  let next = counters;
  for (let i = 0; i < count; i += 1) next = charged(chargePinAttempt(next, now, linkTokenHolder)).counters;
  return next;
}

/** Counters of a new source on the same code: the per-code state stays, the per-source starts over. */
const fromAnotherSource = (counters: PinCounters): PinCounters => ({ ...counters, source: EMPTY_WINDOW });

describe('PIN failure caps', () => {
  it('allows 5 failures per (code, source), then refuses for an hour from the 5th', () => {
    const afterFour = fail(FRESH, 4, at(0));
    expect(afterFour.source).toEqual({ failures: 4, windowStartedAt: at(0), lockedUntil: null });
    const afterFive = fail(afterFour, 1, at(10));
    expect(afterFive.source.lockedUntil).toEqual(at(70));

    // The 6th attempt, right PIN or not, is refused before any verification.
    expect(chargePinAttempt(afterFive, at(11), false)).toEqual({
      refused: { kind: 'locked', retryAfterSeconds: 59 * 60 },
    });
    expect(chargePinAttempt(afterFive, at(69), false)).toEqual({ refused: { kind: 'locked', retryAfterSeconds: 60 } });
    // A link-token holder from that source is held back just the same.
    expect('refused' in chargePinAttempt(afterFive, at(11), true)).toBe(true);
    // Another source is not.
    expect('charged' in chargePinAttempt(fromAnotherSource(afterFive), at(11), false)).toBe(true);
  });

  it('starts a new window an hour after the first failure, and once the lock is over', () => {
    const afterThree = fail(FRESH, 3, at(0));
    const nextHour = charged(chargePinAttempt(afterThree, at(60), false)).counters;
    expect(nextHour.source).toEqual({ failures: 1, windowStartedAt: at(60), lockedUntil: null });

    const locked = fail(FRESH, 5, at(30));
    expect('refused' in chargePinAttempt(locked, at(89), false)).toBe(true);
    const afterLock = charged(chargePinAttempt(locked, at(90), false)).counters;
    expect(afterLock.source).toEqual({ failures: 1, windowStartedAt: at(90), lockedUntil: null });
  });

  it('locks the code-only PIN path for an hour after 10 failures from any sources, but not for token holders', () => {
    let counters = FRESH;
    for (let source = 0; source < 10; source += 1) counters = fail(fromAnotherSource(counters), 1, at(source));
    expect(counters.code).toEqual({ failures: 10, windowStartedAt: at(0), lockedUntil: at(69) });

    const newcomer = fromAnotherSource(counters);
    expect(chargePinAttempt(newcomer, at(20), false)).toEqual({
      refused: { kind: 'locked', retryAfterSeconds: 49 * 60 },
    });
    // A link-token holder still gets to try, and is counted for its source only.
    const holder = charged(chargePinAttempt(newcomer, at(20), true));
    expect(holder.counters.code).toEqual(counters.code);
    expect(holder.counters.lifetimeFailures).toBe(10);
    expect(holder.counters.source.failures).toBe(1);
    expect(holder.codeWindowStartedAt).toBeNull();
  });

  it('closes the code-only PIN path after 30 failures over the lifetime, whatever the windows', () => {
    let counters = FRESH;
    // Three hours of 10 failures each: every hourly lock has ended by the next hour.
    for (let hour = 0; hour < 3; hour += 1) {
      for (let source = 0; source < 10; source += 1) {
        counters = fail(fromAnotherSource(counters), 1, at(hour * 70 + source));
      }
    }
    expect(counters.lifetimeFailures).toBe(30);
    expect(isPinClosed(counters.lifetimeFailures)).toBe(true);
    expect(isPinClosed(29)).toBe(false);
    // Days later, when no hourly lock holds any more: still closed, and still not for token holders.
    const later = fromAnotherSource(counters);
    expect(chargePinAttempt(later, at(10_000), false)).toEqual({ refused: { kind: 'closed' } });
    expect('charged' in chargePinAttempt(later, at(10_000), true)).toBe(true);
  });

  it('gives a right PIN its charge back: counts, locks and the lifetime', () => {
    const afterFour = fail(FRESH, 4, at(0));
    const fifth = charged(chargePinAttempt(afterFour, at(5), false));
    expect(fifth.counters.source.lockedUntil).toEqual(at(65));
    const refunded = refundPinAttempt(fifth.counters, fifth);
    expect(refunded).toEqual(afterFour);
  });

  it('keeps the lock when two attempts raced to the cap and only one was right', () => {
    const afterThree = fail(FRESH, 3, at(0));
    const first = charged(chargePinAttempt(afterThree, at(1), false));
    const second = charged(chargePinAttempt(first.counters, at(1), false)); // 5th: locks
    expect(second.counters.source.failures).toBe(5);
    // The first was right, the second wrong: 4 real failures, so the lock goes.
    const afterRefund = refundPinAttempt(second.counters, first);
    expect(afterRefund.source).toEqual({ failures: 4, windowStartedAt: at(0), lockedUntil: null });
    expect(afterRefund.lifetimeFailures).toBe(4);
  });

  it('gives nothing back from a window that has ended meanwhile, nor below zero after a reopen', () => {
    const first = charged(chargePinAttempt(FRESH, at(0), false));
    const nextHour = charged(chargePinAttempt(first.counters, at(61), false)).counters;
    const refunded = refundPinAttempt(nextHour, first);
    expect(refunded.source).toEqual(nextHour.source);
    expect(refunded.code).toEqual(nextHour.code);

    const reopened: PinCounters = { ...first.counters, code: EMPTY_WINDOW, lifetimeFailures: 0 };
    expect(refundPinAttempt(reopened, first).lifetimeFailures).toBe(0);
  });

  it('uses the documented caps', () => {
    expect(PIN_CAPS).toEqual({
      perSource: 5,
      perCode: 10,
      perCodeLifetime: 30,
      windowMs: 3_600_000,
      lockMs: 3_600_000,
    });
  });
});

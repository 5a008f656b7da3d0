/**
 * The arithmetic of the PIN failure caps (security-cases "Pickup-code policy", PC-07),
 * kept free of storage and clocks so it can be tested on its own:
 *
 * - 5 failures per (code, source) in an hour lock that source out of this code for an hour;
 * - 10 failures per code in an hour lock the code-only PIN path for an hour;
 * - 30 failures per code over its lifetime close the code-only PIN path until the owner
 *   reopens it.
 *
 * Share-link token holders have proven a 128-bit secret, so the per-code caps (meant
 * against many sources guessing PINs of a known code) neither stop nor count them; the
 * per-source cap applies to everyone. The code itself is never burned.
 *
 * An attempt is charged as a failure before the PIN is verified and given back when it
 * was right (the LoginThrottle pattern): parallel guesses cannot slip past a cap while the
 * slow argon2 verifications run, and a right PIN during a lock is refused like a wrong one.
 */

/** One fixed window of failures and the lock it set. */
export interface FailureWindow {
  failures: number;
  windowStartedAt: Date | null;
  lockedUntil: Date | null;
}

export interface PinCounters {
  /** This code, this source. */
  source: FailureWindow;
  /** This code, code-only pickups from every source. */
  code: FailureWindow;
  /** This code, code-only pickups over its lifetime. */
  lifetimeFailures: number;
}

export interface PinCaps {
  perSource: number;
  perCode: number;
  perCodeLifetime: number;
  windowMs: number;
  lockMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

export const PIN_CAPS: PinCaps = { perSource: 5, perCode: 10, perCodeLifetime: 30, windowMs: HOUR_MS, lockMs: HOUR_MS };

export const EMPTY_WINDOW: FailureWindow = { failures: 0, windowStartedAt: null, lockedUntil: null };

export type PinRefusal =
  /** An hourly lock: try again in `retryAfterSeconds`. */
  | { kind: 'locked'; retryAfterSeconds: number }
  /** The lifetime cap: closed until the owner reopens it. */
  | { kind: 'closed' };

/** What a charged attempt changed, so a right PIN can give exactly that back. */
export interface PinCharge {
  counters: PinCounters;
  sourceWindowStartedAt: Date;
  /** Start of the code window the attempt was counted in; null when it was not (token holder). */
  codeWindowStartedAt: Date | null;
}

export type ChargeDecision = { refused: PinRefusal } | { charged: PinCharge };

function lockedAt(window: FailureWindow, now: Date): Date | null {
  return window.lockedUntil !== null && window.lockedUntil > now ? window.lockedUntil : null;
}

function addFailure(window: FailureWindow, now: Date, cap: number, caps: PinCaps): FailureWindow {
  const fresh = window.windowStartedAt === null || now.getTime() - window.windowStartedAt.getTime() >= caps.windowMs;
  const failures = (fresh ? 0 : window.failures) + 1;
  return {
    failures,
    windowStartedAt: fresh ? now : window.windowStartedAt,
    lockedUntil: failures >= cap ? new Date(now.getTime() + caps.lockMs) : fresh ? null : window.lockedUntil,
  };
}

/**
 * Takes back one failure counted in the window that started at `chargedIn`. A lock can only
 * have been set by a charge reaching the cap, and nothing is charged while it holds, so
 * once the count is below the cap again the lock came from a charge now given back.
 */
function removeFailure(window: FailureWindow, chargedIn: Date, cap: number): FailureWindow {
  if (window.windowStartedAt?.getTime() !== chargedIn.getTime()) return window; // that window is over
  const failures = Math.max(0, window.failures - 1);
  return { ...window, failures, lockedUntil: failures < cap ? null : window.lockedUntil };
}

export function isPinClosed(lifetimeFailures: number, caps: PinCaps = PIN_CAPS): boolean {
  return lifetimeFailures >= caps.perCodeLifetime;
}

/** Refuses the attempt when a cap holds it back, else charges it as a failure. */
export function chargePinAttempt(
  counters: PinCounters,
  now: Date,
  linkTokenHolder: boolean,
  caps: PinCaps = PIN_CAPS,
): ChargeDecision {
  if (!linkTokenHolder && isPinClosed(counters.lifetimeFailures, caps)) return { refused: { kind: 'closed' } };
  const locks = [lockedAt(counters.source, now), linkTokenHolder ? null : lockedAt(counters.code, now)].filter(
    (until): until is Date => until !== null,
  );
  if (locks.length > 0) {
    const until = Math.max(...locks.map((lock) => lock.getTime()));
    return { refused: { kind: 'locked', retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) } };
  }

  const source = addFailure(counters.source, now, caps.perSource, caps);
  const code = linkTokenHolder ? counters.code : addFailure(counters.code, now, caps.perCode, caps);
  return {
    charged: {
      counters: {
        source,
        code,
        lifetimeFailures: counters.lifetimeFailures + (linkTokenHolder ? 0 : 1),
      },
      sourceWindowStartedAt: source.windowStartedAt ?? now,
      codeWindowStartedAt: linkTokenHolder ? null : (code.windowStartedAt ?? now),
    },
  };
}

/** The counters after a charged attempt turned out to hold the right PIN. */
export function refundPinAttempt(current: PinCounters, charge: PinCharge, caps: PinCaps = PIN_CAPS): PinCounters {
  if (charge.codeWindowStartedAt === null) {
    return { ...current, source: removeFailure(current.source, charge.sourceWindowStartedAt, caps.perSource) };
  }
  return {
    source: removeFailure(current.source, charge.sourceWindowStartedAt, caps.perSource),
    code: removeFailure(current.code, charge.codeWindowStartedAt, caps.perCode),
    // The owner may have reopened the path meanwhile (back to 0): never below that.
    lifetimeFailures: Math.max(0, current.lifetimeFailures - 1),
  };
}

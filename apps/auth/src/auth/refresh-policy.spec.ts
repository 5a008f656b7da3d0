import { Clock } from './clock.js';
import { RefreshPolicy, type RefreshTokenState } from './refresh-policy.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const SECOND = 1000;
const DAY = 86_400 * SECOND;

class FakeClock extends Clock {
  current = T0;
  now(): Date {
    return new Date(this.current);
  }
}

/** A family signed in at T0 with a 30-day absolute end. */
const row = (changes: Partial<RefreshTokenState> = {}): RefreshTokenState => ({
  createdAt: new Date(T0),
  expiresAt: new Date(T0 + 30 * DAY),
  revokedAt: null,
  rotatedAt: null,
  ...changes,
});

/** The first token rotated at `at` into a successor created then. */
const rotatedAt = (at: number) => ({
  presented: row({ rotatedAt: new Date(at) }),
  successor: row({ createdAt: new Date(at) }),
});

describe('RefreshPolicy', () => {
  let clock: FakeClock;
  let policy: RefreshPolicy;

  beforeEach(() => {
    clock = new FakeClock();
    policy = new RefreshPolicy({ AUTH_REFRESH_GRACE_SECONDS: 10, AUTH_REFRESH_IDLE_SECONDS: 14 * 86_400 }, clock);
  });

  describe('the current token of a family', () => {
    it('rotates', () => {
      expect(policy.judge(row(), null)).toBe('rotate');
    });

    it('ends once revoked', () => {
      expect(policy.judge(row({ revokedAt: new Date(T0) }), null)).toBe('ended');
    });

    it('ends at the absolute lifetime, even when it was refreshed a moment ago', () => {
      const justRefreshed = row({ createdAt: new Date(T0 + 30 * DAY - SECOND) });
      clock.current = T0 + 30 * DAY - 1;
      expect(policy.judge(justRefreshed, null)).toBe('rotate');
      clock.current = T0 + 30 * DAY;
      expect(policy.judge(justRefreshed, null)).toBe('ended');
    });

    it('ends after 14 idle days, counted from its last refresh', () => {
      clock.current = T0 + 14 * DAY - 1;
      expect(policy.judge(row(), null)).toBe('rotate');
      clock.current = T0 + 14 * DAY;
      expect(policy.judge(row(), null)).toBe('ended');
      // Refreshed on day 10, the family lives until day 24.
      const refreshedOnDay10 = row({ createdAt: new Date(T0 + 10 * DAY) });
      expect(policy.judge(refreshedOnDay10, null)).toBe('rotate');
      clock.current = T0 + 24 * DAY;
      expect(policy.judge(refreshedOnDay10, null)).toBe('ended');
    });
  });

  describe('the token just rotated, presented again', () => {
    it('gets the same successor inside the window', () => {
      const { presented, successor } = rotatedAt(T0);
      expect(policy.judge(presented, successor)).toBe('grace');
      clock.current = T0 + 10 * SECOND - 1;
      expect(policy.judge(presented, successor)).toBe('grace');
    });

    it('is reuse at the end of the window and after it', () => {
      const { presented, successor } = rotatedAt(T0);
      clock.current = T0 + 10 * SECOND;
      expect(policy.judge(presented, successor)).toBe('reused');
      clock.current = T0 + 60 * SECOND;
      expect(policy.judge(presented, successor)).toBe('reused');
    });

    it('is reuse once its successor was rotated too (an older token), even inside the window', () => {
      const { presented } = rotatedAt(T0);
      const rotatedSuccessor = row({ createdAt: new Date(T0), rotatedAt: new Date(T0 + SECOND) });
      clock.current = T0 + 2 * SECOND;
      expect(policy.judge(presented, rotatedSuccessor)).toBe('reused');
    });

    it('is reuse when its successor row is missing', () => {
      expect(policy.judge(row({ rotatedAt: new Date(T0) }), null)).toBe('reused');
    });

    it('ends, without an alarm, when the family was revoked in the meantime', () => {
      const { presented, successor } = rotatedAt(T0);
      const revokedAt = new Date(T0 + SECOND);
      expect(policy.judge({ ...presented, revokedAt }, { ...successor, revokedAt })).toBe('ended');
      expect(policy.judge(presented, { ...successor, revokedAt })).toBe('ended');
    });

    it('ends when the window straddles the absolute lifetime', () => {
      const end = T0 + 30 * DAY;
      const presented = row({ rotatedAt: new Date(end - SECOND) });
      const successor = row({ createdAt: new Date(end - SECOND) });
      clock.current = end;
      expect(policy.judge(presented, successor)).toBe('ended');
    });

    it('is always reuse when the window is 0 (grace turned off)', () => {
      const strict = new RefreshPolicy({ AUTH_REFRESH_GRACE_SECONDS: 0, AUTH_REFRESH_IDLE_SECONDS: 86_400 }, clock);
      const { presented, successor } = rotatedAt(T0);
      expect(strict.graceEnabled).toBe(false);
      expect(strict.judge(presented, successor)).toBe('reused');
      expect(policy.graceEnabled).toBe(true);
      expect(policy.graceSeconds).toBe(10);
    });
  });
});

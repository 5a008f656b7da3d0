import { DomainError, ErrorCode } from '@lexy/server-errors';
import fc from 'fast-check';
import { Clock } from './clock.js';
import { LOGIN_LIMITS, LoginThrottle, type CounterStore, type LoginAttempt } from './login-throttle.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0); // a window boundary (15 minutes divides the hour)

class FakeClock extends Clock {
  constructor(public current = T0) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
}

/** Redis semantics that matter here: INCR creates at 0, keys expire. */
class MemoryStore implements CounterStore {
  readonly counters = new Map<string, { value: number; expiresAt: number }>();
  down = false;
  constructor(private readonly clock: FakeClock) {}

  async increment(keys: string[], ttlSeconds: number): Promise<number[]> {
    if (this.down) throw new Error('connection refused');
    const now = this.clock.current;
    return keys.map((key) => {
      const entry = this.counters.get(key);
      const value = (entry && entry.expiresAt > now ? entry.value : 0) + 1;
      this.counters.set(key, { value, expiresAt: now + ttlSeconds * 1000 });
      return value;
    });
  }

  async decrement(keys: string[]): Promise<void> {
    if (this.down) throw new Error('connection refused');
    for (const key of keys) {
      const entry = this.counters.get(key);
      if (entry) entry.value -= 1;
    }
  }
}

function setup() {
  const clock = new FakeClock();
  const store = new MemoryStore(clock);
  return { clock, store, throttle: new LoginThrottle(store, clock, 'lexy:') };
}

async function outcome(promise: Promise<unknown>): Promise<DomainError | 'OK'> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

/** One failed attempt: reserve, then keep the reservation. */
const fail = (throttle: LoginThrottle, email: string, source: string | null) => throttle.begin(email, source);

describe('LoginThrottle', () => {
  it('allows 10 failures per account in a window, then refuses with RATE_LIMITED and retryAfterSeconds', async () => {
    const { throttle, clock } = setup();
    for (let i = 0; i < 10; i += 1) await fail(throttle, 'ann@example.org', `10.0.0.${i}`);

    clock.current = T0 + 60_000;
    const refused = await outcome(throttle.begin('ann@example.org', '10.0.1.1'));
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe(ErrorCode.RATE_LIMITED);
    expect((refused as DomainError).details).toEqual({ retryAfterSeconds: 14 * 60 });
  });

  it('refuses before the password is checked, so a right password during the lock is refused too', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 10; i += 1) await fail(throttle, 'ann@example.org', '10.0.0.1');
    // begin() is what runs before verification; it alone decides.
    expect(await outcome(throttle.begin('ann@example.org', '10.0.0.1'))).toMatchObject({
      code: ErrorCode.RATE_LIMITED,
    });
  });

  it('lifts the lock when the window ends (never permanent)', async () => {
    const { throttle, clock } = setup();
    for (let i = 0; i < 15; i += 1) await outcome(fail(throttle, 'ann@example.org', '10.0.0.1'));
    clock.current = T0 + LOGIN_LIMITS.windowSeconds * 1000;
    expect(await outcome(throttle.begin('ann@example.org', '10.0.0.1'))).toBe('OK');
  });

  it('does not count successful attempts', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 30; i += 1) {
      const attempt = await throttle.begin('ann@example.org', '10.0.0.1');
      await attempt.succeeded();
    }
    for (let i = 0; i < 10; i += 1) await fail(throttle, 'ann@example.org', '10.0.0.1');
    expect(await outcome(throttle.begin('ann@example.org', '10.0.0.1'))).toMatchObject({
      code: ErrorCode.RATE_LIMITED,
    });
  });

  it('allows 50 failures per source across accounts (spraying), then refuses every account from it', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 50; i += 1) await fail(throttle, `user${i}@example.org`, '203.0.113.7');
    expect(await outcome(throttle.begin('fresh@example.org', '203.0.113.7'))).toMatchObject({
      code: ErrorCode.RATE_LIMITED,
    });
    expect(await outcome(throttle.begin('fresh@example.org', '203.0.113.8'))).toBe('OK');
  });

  it('keeps accounts apart and never stores the email or address in a key', async () => {
    const { throttle, store } = setup();
    for (let i = 0; i < 10; i += 1) await fail(throttle, 'ann@example.org', '10.0.0.1');
    expect(await outcome(throttle.begin('bob@example.org', '10.0.0.2'))).toBe('OK');
    for (const key of store.counters.keys()) {
      expect(key).toMatch(/^lexy:login-failures:(account|source):[0-9a-f]{64}:\d+$/);
    }
  });

  it('fails closed with SERVICE_UNAVAILABLE when the store is down', async () => {
    const { throttle, store } = setup();
    store.down = true;
    expect(await outcome(throttle.begin('ann@example.org', '10.0.0.1'))).toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
  });

  it('never lets more than 10 password checks per window through for one account, whatever the sequence', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ advanceMs: fc.integer({ min: 0, max: 120_000 }), right: fc.boolean() }), {
          maxLength: 80,
        }),
        async (steps) => {
          const { throttle, clock } = setup();
          const checksPerWindow = new Map<number, number>();
          for (const step of steps) {
            clock.current += step.advanceMs;
            let attempt: LoginAttempt;
            try {
              attempt = await throttle.begin('ann@example.org', null);
            } catch (error) {
              expect(error).toMatchObject({ code: ErrorCode.RATE_LIMITED });
              const retry = (error as DomainError).details['retryAfterSeconds'] as number;
              expect(retry).toBeGreaterThan(0);
              expect(retry).toBeLessThanOrEqual(LOGIN_LIMITS.windowSeconds);
              continue;
            }
            if (step.right) {
              await attempt.succeeded(); // a right password is not a failure
              continue;
            }
            const window = Math.floor(clock.current / (LOGIN_LIMITS.windowSeconds * 1000));
            checksPerWindow.set(window, (checksPerWindow.get(window) ?? 0) + 1);
          }
          for (const failures of checksPerWindow.values()) expect(failures).toBeLessThanOrEqual(10);
        },
      ),
      { numRuns: 200 },
    );
  });
});

import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Logger } from '@nestjs/common';
import { aFileEntity } from '../../test/support/file-entity.js';
import { strictMock, type StrictMock } from '../../test/support/strict-mock.js';
import { EMPTY_WINDOW, type PinCounters } from './pin-attempt-policy.js';
import type { CounterChange, PinAttemptsRepository } from './pin-attempts.repository.js';
import { PinGate } from './pin-gate.js';
import type { PinHasher } from './pin-hasher.js';

const PIN = '246810';
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$salt$hash';

/** The counters in memory, on a clock the test moves; one change at a time, as the row locks make it. */
class InMemoryPinAttempts implements Pick<PinAttemptsRepository, 'change'> {
  now = new Date('2026-12-01T10:00:00.000Z');
  fileGone = false;
  code = EMPTY_WINDOW;
  lifetimeFailures = 0;
  readonly sources = new Map<string, PinCounters['source']>();

  async change<T>(
    _fileId: string,
    sourceHash: string,
    change: (counters: PinCounters, now: Date) => CounterChange<T>,
  ): Promise<T | null> {
    if (this.fileGone) return null;
    const counters = {
      source: this.sources.get(sourceHash) ?? EMPTY_WINDOW,
      code: this.code,
      lifetimeFailures: this.lifetimeFailures,
    };
    const { result, next } = change(counters, this.now);
    if (next) {
      this.sources.set(sourceHash, next.source);
      this.code = next.code;
      this.lifetimeFailures = next.lifetimeFailures;
    }
    return result;
  }

  advanceMinutes(minutes: number): void {
    this.now = new Date(this.now.getTime() + minutes * 60_000);
  }
}

async function outcome(promise: Promise<void>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof DomainError ? error.code : `unexpected ${String(error)}`),
  );
}

describe('PinGate', () => {
  let attempts: InMemoryPinAttempts;
  let hasher: StrictMock<PinHasher>;
  let gate: PinGate;
  const file = aFileEntity({ pinHash: HASH });
  const from = (source: string, pin = PIN, linkTokenHolder = false) =>
    outcome(gate.check(file, { pin, source, linkTokenHolder }));

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    attempts = new InMemoryPinAttempts();
    hasher = strictMock<PinHasher>('hasher');
    hasher.verify.mockImplementation(async (hash, pin) => hash === HASH && pin === PIN);
    gate = new PinGate(attempts as unknown as PinAttemptsRepository, hasher);
  });

  it('lets a file without a PIN through without counting or hashing anything', async () => {
    expect(await outcome(gate.check(aFileEntity(), { pin: undefined, source: 'ip:1', linkTokenHolder: false }))).toBe(
      'ok',
    );
    expect(attempts.sources.size).toBe(0);
  });

  it('asks for the PIN without counting an attempt, and lets the right one through', async () => {
    expect(await outcome(gate.check(file, { pin: undefined, source: 'ip:1', linkTokenHolder: false }))).toBe(
      ErrorCode.PIN_REQUIRED,
    );
    expect(await from('ip:1', '')).toBe(ErrorCode.PIN_REQUIRED);
    expect(hasher.verify).not.toHaveBeenCalled();
    expect(await from('ip:1')).toBe('ok');
    expect(hasher.verify).toHaveBeenCalledWith(HASH, PIN);
    // The right PIN gave its charge back.
    expect([...attempts.sources.values()][0]?.failures).toBe(0);
    expect(attempts.lifetimeFailures).toBe(0);
  });

  it('locks a source after 5 wrong PINs, refusing the right one too without verifying it', async () => {
    for (let i = 0; i < 5; i += 1) expect(await from('ip:1', '000000')).toBe(ErrorCode.PIN_INVALID);
    hasher.verify.mockClear();
    expect(await from('ip:1', '000000')).toBe(ErrorCode.RATE_LIMITED);
    expect(await from('ip:1')).toBe(ErrorCode.RATE_LIMITED);
    expect(hasher.verify).not.toHaveBeenCalled();
    const limited = await gate.check(file, { pin: PIN, source: 'ip:1', linkTokenHolder: false }).catch((e) => e);
    expect((limited as DomainError).details).toEqual({ retryAfterSeconds: 3600 });
    // Another source still gets its PIN checked.
    expect(await from('ip:2')).toBe('ok');
    attempts.advanceMinutes(60);
    expect(await from('ip:1')).toBe('ok');
  });

  it('charges a malformed PIN as a failure without running argon2', async () => {
    expect(await from('ip:1', 'x'.repeat(10_000))).toBe(ErrorCode.PIN_INVALID);
    expect(await from('ip:1', '12345')).toBe(ErrorCode.PIN_INVALID);
    expect(hasher.verify).not.toHaveBeenCalled();
    expect([...attempts.sources.values()][0]?.failures).toBe(2);
  });

  it('locks the code for everyone but link-token holders after 10 failures, and closes it after 30', async () => {
    for (let source = 0; source < 10; source += 1) await from(`ip:${source}`, '000000');
    expect(await from('ip:new')).toBe(ErrorCode.RATE_LIMITED);
    expect(await from('ip:holder', PIN, true)).toBe('ok');

    for (let hour = 1; hour < 3; hour += 1) {
      attempts.advanceMinutes(61);
      for (let source = 0; source < 10; source += 1) await from(`ip:${hour}-${source}`, '000000');
    }
    expect(attempts.lifetimeFailures).toBe(30);
    attempts.advanceMinutes(24 * 60);
    expect(await from('ip:later')).toBe(ErrorCode.PIN_LOCKED);
    expect(await from('ip:holder', PIN, true)).toBe('ok');
  });

  it('keys sources by their SHA-256, never by the address itself', async () => {
    await from('ip:203.0.113.7', '000000');
    const [key] = [...attempts.sources.keys()];
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('203.0.113.7');
  });

  it('answers the uniform not-found when the file vanished between lookup and count', async () => {
    attempts.fileGone = true;
    expect(await from('ip:1')).toBe(ErrorCode.PICKUP_CODE_NOT_FOUND);
    expect(hasher.verify).not.toHaveBeenCalled();
  });
});

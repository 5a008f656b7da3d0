import { ErrorCode } from '@lexy/server-errors';
import { quotaAccountOf, reusableCallerToken, signCallerToken, verifyCallerToken } from './caller-token.js';

const secret = 's'.repeat(40);
const caller = { ownerId: 'user-1', group: 'normal', kind: 1 };

describe('caller tokens', () => {
  it('round-trips the caller; without a quota account it is the owner id', () => {
    expect(verifyCallerToken(signCallerToken(caller, secret), secret)).toEqual({ ...caller, quotaAccountId: 'user-1' });
  });

  it('carries a quota account other than the owner id, under the signature', () => {
    const narrowed = { ownerId: 'fp:abc', group: 'anonymous', kind: 3, quotaAccountId: 'ip:203.0.113.7' };
    const verified = verifyCallerToken(signCallerToken(narrowed, secret), secret);
    expect(verified).toEqual(narrowed);
    expect(quotaAccountOf(verified)).toBe('ip:203.0.113.7');
    expect(quotaAccountOf(caller)).toBe('user-1');
  });

  it.each([
    ['another key', () => signCallerToken(caller, 'x'.repeat(40))],
    [
      'a changed payload',
      () => {
        const [, signature] = signCallerToken(caller, secret).split('.');
        const forged = Buffer.from(JSON.stringify({ sub: 'admin', grp: 'admin', knd: 1, exp: 9e9 })).toString(
          'base64url',
        );
        return `${forged}.${signature}`;
      },
    ],
    [
      'a quota account swapped under the signature',
      () => {
        const token = signCallerToken({ ...caller, quotaAccountId: 'ip:203.0.113.7' }, secret);
        const [payload, signature] = token.split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
        const forged = Buffer.from(JSON.stringify({ ...claims, acc: 'ip:198.51.100.1' })).toString('base64url');
        return `${forged}.${signature}`;
      },
    ],
    ['no signature', () => signCallerToken(caller, secret).split('.')[0]!],
    ['a bare user id', () => 'user-1'],
    ['an oversized token', () => 'a'.repeat(5000)],
    ['an expired token', () => signCallerToken(caller, secret, Date.now() - 3_600_000, 60)],
  ])('refuses %s', (_name, make) => {
    expect(() => verifyCallerToken(make(), secret)).toThrow(
      expect.objectContaining({ code: ErrorCode.UNAUTHENTICATED }),
    );
  });

  describe('reusable tokens', () => {
    const t0 = 1_800_000_000_000;
    const full = { ...caller, quotaAccountId: 'user-1' };

    it('hands out the same token for the same caller within a minute, a fresh one after', () => {
      const first = reusableCallerToken(full, secret, t0);
      expect(reusableCallerToken(full, secret, t0 + 59_999)).toBe(first);
      const later = reusableCallerToken(full, secret, t0 + 60_000);
      expect(later).not.toBe(first);
      // The reused token still has four of its five minutes left when last handed out.
      expect(() => verifyCallerToken(first, secret, t0 + 59_999 + 240_000)).not.toThrow();
      expect(verifyCallerToken(later, secret, t0 + 60_000)).toEqual(full);
    });

    it('never hands one caller the token of another (group, account, kind or secret)', () => {
      const base = reusableCallerToken(full, secret, t0);
      for (const other of [
        { ...full, group: 'vip' },
        { ...full, quotaAccountId: 'ip:203.0.113.7' },
        { ...full, kind: 2 },
        { ...full, ownerId: 'user-2' },
      ]) {
        const token = reusableCallerToken(other, secret, t0);
        expect(token).not.toBe(base);
        expect(verifyCallerToken(token, secret, t0)).toEqual(other);
      }
      expect(() => verifyCallerToken(reusableCallerToken(full, 'x'.repeat(40), t0), secret, t0)).toThrow();
    });
  });
});

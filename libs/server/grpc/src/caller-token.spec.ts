import { ErrorCode } from '@lexy/server-errors';
import { signCallerToken, verifyCallerToken } from './caller-token.js';

const secret = 's'.repeat(40);
const caller = { ownerId: 'user-1', group: 'normal', kind: 1 };

describe('caller tokens', () => {
  it('round-trips the caller', () => {
    expect(verifyCallerToken(signCallerToken(caller, secret), secret)).toEqual(caller);
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
    ['no signature', () => signCallerToken(caller, secret).split('.')[0]!],
    ['a bare user id', () => 'user-1'],
    ['an oversized token', () => 'a'.repeat(5000)],
    ['an expired token', () => signCallerToken(caller, secret, Date.now() - 3_600_000, 60)],
  ])('refuses %s', (_name, make) => {
    expect(() => verifyCallerToken(make(), secret)).toThrow(
      expect.objectContaining({ code: ErrorCode.UNAUTHENTICATED }),
    );
  });
});

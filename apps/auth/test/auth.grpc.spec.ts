// AuthService over its real gRPC server and a real MariaDB/MySQL database of its own.
import { fromTimestamp } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import { decodeJwt, SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { sha256Hex } from '../src/auth/sha256.js';
import { codeOf, JWT_SECRET, startHarness, type Harness, type MovableClock } from './harness.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface UserRow {
  id: string;
  group_name: string;
  email: string | null;
  password_hash: string | null;
  display_name: string | null;
  fingerprint_hash: string | null;
  disabled_at: Date | null;
  created_at: Date;
}

interface SessionRow {
  id: string;
  user_id: string;
  family_id: string;
  refresh_token_hash: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

describe('AuthService (gRPC + MariaDB)', () => {
  let harness: Harness;
  let auth: Harness['auth'];
  let db: DataSource;
  let clock: MovableClock;

  beforeAll(async () => {
    harness = await startHarness();
    ({ auth, db, clock } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(() => {
    clock.offsetMs = 0;
  });

  const userRow = async (id: string) => ((await db.query('SELECT * FROM users WHERE id = ?', [id])) as UserRow[])[0];
  const sessionRows = async (userId: string) =>
    (await db.query('SELECT * FROM sessions WHERE user_id = ?', [userId])) as SessionRow[];
  const verify = (accessToken: string) => auth.verifyAccessToken({ accessToken });

  it('creates an anonymous user whose token verifies to the rows in the database', async () => {
    const created = await auth.createAnonymousUser({ fingerprint: '' });

    expect(created.user?.id).toMatch(UUID_V7);
    expect(created.user?.group).toBe('anonymous');
    expect(created.expiresIn).toBe(900);
    expect(created.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeJwt(created.accessToken)).toMatchObject({ sub: created.user?.id, grp: 'anonymous' });

    const verified = await verify(created.accessToken);
    const user = await userRow(verified.userId);
    const sessions = await sessionRows(verified.userId);

    expect(verified.userId).toBe(created.user?.id);
    expect(verified.group).toBe('anonymous');
    expect(user).toMatchObject({
      id: verified.userId,
      group_name: 'anonymous',
      email: null,
      password_hash: null,
      display_name: null,
      fingerprint_hash: null,
      disabled_at: null,
    });
    expect(user?.created_at.getTime()).toBe(fromTimestamp(created.user?.createdAt)?.getTime());
    expect(sessions).toHaveLength(1);
    const [session] = sessions;
    expect(session?.id).toBe(verified.sessionId);
    expect(session?.id).toMatch(UUID_V7);
    expect(session?.family_id).toMatch(UUID_V7);
    expect(session?.revoked_at).toBeNull();
    expect((session?.expires_at.getTime() ?? 0) - (session?.created_at.getTime() ?? 0)).toBe(30 * 86_400_000);
  });

  it('gives every anonymous user its own id, session and family', async () => {
    const [a, b] = await Promise.all([
      auth.createAnonymousUser({ fingerprint: '' }),
      auth.createAnonymousUser({ fingerprint: '' }),
    ]);
    const [sa, sb] = [(await sessionRows(a.user?.id ?? ''))[0], (await sessionRows(b.user?.id ?? ''))[0]];

    expect(a.user?.id).not.toBe(b.user?.id);
    expect(sa?.id).not.toBe(sb?.id);
    expect(sa?.family_id).not.toBe(sb?.family_id);
    expect(a.refreshToken).not.toBe(b.refreshToken);
  });

  it('stores only the SHA-256 of the refresh token', async () => {
    const created = await auth.createAnonymousUser({ fingerprint: '' });
    const raw = created.refreshToken;
    const rawBytes = Buffer.from(raw, 'base64url');

    const [session] = await sessionRows(created.user?.id ?? '');
    expect(rawBytes).toHaveLength(32);
    expect(session?.refresh_token_hash).toBe(sha256Hex(raw));

    // Nothing in the whole table spells the token in any common encoding.
    const everything = JSON.stringify(await db.query('SELECT * FROM sessions'));
    for (const form of [raw, rawBytes.toString('base64'), rawBytes.toString('hex')]) {
      expect(everything).not.toContain(form);
    }
  });

  it('stores the fingerprint hashed, never raw', async () => {
    const fingerprint = `device-${randomBytes(8).toString('hex')}`;
    const created = await auth.createAnonymousUser({ fingerprint });

    const user = await userRow(created.user?.id ?? '');
    expect(user?.fingerprint_hash).toBe(sha256Hex(fingerprint));
    expect(JSON.stringify(await db.query('SELECT * FROM users'))).not.toContain(fingerprint);
  });

  it('accepts a 256-character fingerprint and refuses a 257-character one with VALIDATION_FAILED', async () => {
    const longest = randomBytes(128).toString('hex');
    const created = await auth.createAnonymousUser({ fingerprint: longest });
    expect((await userRow(created.user?.id ?? ''))?.fingerprint_hash).toBe(sha256Hex(longest));

    const tooLong = randomBytes(128).toString('hex') + 'f';
    expect(await codeOf(auth.createAnonymousUser({ fingerprint: tooLong }))).toBe(ErrorCode.VALIDATION_FAILED);
    const stored = await db.query('SELECT id FROM users WHERE fingerprint_hash = ?', [sha256Hex(tooLong)]);
    expect(stored).toEqual([]);
  });

  it('answers SESSION_REVOKED once the session is revoked, and leaves other sessions alone', async () => {
    const mine = await auth.createAnonymousUser({ fingerprint: '' });
    const other = await auth.createAnonymousUser({ fingerprint: '' });
    const { sessionId } = await verify(mine.accessToken);

    await db.query('UPDATE sessions SET revoked_at = UTC_TIMESTAMP(3) WHERE id = ?', [sessionId]);

    expect(await codeOf(verify(mine.accessToken))).toBe(ErrorCode.SESSION_REVOKED);
    expect(await codeOf(verify(other.accessToken))).toBe('OK');
  });

  it('answers SESSION_REVOKED when the session has passed its absolute lifetime or is gone', async () => {
    const expired = await auth.createAnonymousUser({ fingerprint: '' });
    const deleted = await auth.createAnonymousUser({ fingerprint: '' });

    await db.query('UPDATE sessions SET created_at = ?, expires_at = ? WHERE user_id = ?', [
      new Date(Date.now() - 31 * 86_400_000),
      new Date(Date.now() - 1_000),
      expired.user?.id,
    ]);
    await db.query('DELETE FROM sessions WHERE user_id = ?', [deleted.user?.id]);

    expect(await codeOf(verify(expired.accessToken))).toBe(ErrorCode.SESSION_REVOKED);
    expect(await codeOf(verify(deleted.accessToken))).toBe(ErrorCode.SESSION_REVOKED);
  });

  it('answers ACCOUNT_DISABLED for a disabled user', async () => {
    const created = await auth.createAnonymousUser({ fingerprint: '' });
    await db.query('UPDATE users SET disabled_at = UTC_TIMESTAMP(3) WHERE id = ?', [created.user?.id]);

    expect(await codeOf(verify(created.accessToken))).toBe(ErrorCode.ACCOUNT_DISABLED);
  });

  it('reflects a group changed in the database on the next verification', async () => {
    const created = await auth.createAnonymousUser({ fingerprint: '' });
    expect((await verify(created.accessToken)).group).toBe('anonymous');

    await db.query("UPDATE users SET group_name = 'vip' WHERE id = ?", [created.user?.id]);

    const verified = await verify(created.accessToken);
    expect(verified.group).toBe('vip');
    // The token still says anonymous; the answer comes from the database.
    expect(decodeJwt(created.accessToken)['grp']).toBe('anonymous');
  });

  it('refuses the same claims signed with another secret as UNAUTHENTICATED', async () => {
    const created = await auth.createAnonymousUser({ fingerprint: '' });
    const claims = decodeJwt(created.accessToken);
    const signWith = (secret: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(new TextEncoder().encode(secret));

    // Control: re-signed with the service's own secret it passes, so only the key differs below.
    expect(await codeOf(verify(await signWith(JWT_SECRET)))).toBe('OK');
    expect(await codeOf(verify(await signWith('another-environments-secret-of-32-chars!')))).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
  });

  it('answers TOKEN_EXPIRED once the clock passes exp plus the leeway', async () => {
    const created = await auth.createAnonymousUser({ fingerprint: '' });

    clock.offsetMs = (900 + 60) * 1000;
    expect(await codeOf(verify(created.accessToken))).toBe(ErrorCode.TOKEN_EXPIRED);
  });

  it('answers UNAUTHENTICATED to garbage and oversized tokens and keeps serving', async () => {
    const created = await auth.createAnonymousUser({ fingerprint: '' });

    expect(await codeOf(verify(''))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(verify('not-a-jwt'))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(verify(`${created.accessToken}${'.x'.repeat(97)}`))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(verify('a'.repeat(16 * 1024)))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(verify(created.accessToken))).toBe('OK');
  });
});

// Accounts over the real gRPC server, a real MariaDB database and a real Redis.
import type { authV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import argon2 from 'argon2';
import { decodeJwt } from 'jose';
import { createServer, type AddressInfo } from 'node:net';
import {
  asCaller,
  codeOf,
  failure,
  sessionOf,
  startHarness,
  uniqueAddress,
  uniqueEmail,
  type Harness,
} from './harness.js';
import { sha256Hex } from '../src/auth/sha256.js';

const ADMIN_EMAIL = `admin-${process.pid}-${Date.now()}@example.test`;
const ADMIN_PASSWORD = 'bootstrap admin password';
const PASSWORD = 'correct horse battery';

interface SessionRow {
  id: string;
  user_id: string;
  family_id: string;
  refresh_token_hash: string;
  revoked_at: Date | null;
  rotated_at: Date | null;
  replaced_by: string | null;
}

describe('Accounts (gRPC + MariaDB + Redis)', () => {
  let h: Harness;
  let auth: Harness['auth'];

  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_EMAIL, ADMIN_PASSWORD } });
    auth = h.auth;
  });

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => {
    h.clock.offsetMs = 0;
  });

  const register = async (email = uniqueEmail(), password = PASSWORD, displayName = '') =>
    sessionOf(await auth.register({ email, password, displayName, clientAddress: uniqueAddress() }));
  const login = async (email: string, password = PASSWORD, clientAddress = uniqueAddress()) =>
    sessionOf(await auth.login({ email, password, clientAddress }));
  const refresh = async (refreshToken: string) => sessionOf(await auth.refresh({ refreshToken }));
  const sid = (session: authV1.AuthSession) => decodeJwt(session.accessToken)['sid'] as string;
  const userId = (session: authV1.AuthSession) => session.user?.id ?? '';
  const verify = (session: authV1.AuthSession) => auth.verifyAccessToken({ accessToken: session.accessToken });
  const familyRows = async (familyId: string) =>
    (await h.db.query('SELECT * FROM sessions WHERE family_id = ?', [familyId])) as SessionRow[];
  const sessionKey = (id: string) => `${h.config.AUTH_REDIS_PREFIX}revoked:session:${id}`;
  const userKey = (id: string) => `${h.config.AUTH_REDIS_PREFIX}revoked:user:${id}`;
  const adminId = async () =>
    ((await h.db.query('SELECT id FROM users WHERE email = ?', [ADMIN_EMAIL])) as Array<{ id: string }>)[0]?.id ?? '';
  /** Moves the service clock to just after the start of a 15-minute throttle window, so a burst never straddles two. */
  const alignToWindowStart = () => {
    const windowMs = 15 * 60 * 1000;
    h.clock.offsetMs = Math.ceil(Date.now() / windowMs) * windowMs + 1_000 - Date.now();
  };
  const asAdmin = async <T>(call: () => Promise<T>) => asCaller({ ownerId: await adminId(), group: 'admin' }, call);

  describe('register, login, me', () => {
    it('registers a normal user, signs it in, and stores only an argon2id hash of the password', async () => {
      const email = uniqueEmail('Reg');
      const session = await register(`  ${email.toUpperCase()} `, PASSWORD, '  Ann  ');

      expect(session.user).toMatchObject({ email: email.toLowerCase(), displayName: 'Ann', group: 'normal' });
      expect(session.user?.disabled).toBe(false);
      expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await verify(session)).toEqual({ userId: userId(session), group: 'normal', sessionId: sid(session) });

      const [row] = (await h.db.query('SELECT * FROM users WHERE id = ?', [userId(session)])) as Array<{
        password_hash: string;
      }>;
      expect(row?.password_hash).toMatch(/^\$argon2id\$/);
      expect(await argon2.verify(row?.password_hash ?? '', PASSWORD)).toBe(true);
      expect(JSON.stringify(await h.db.query('SELECT * FROM users'))).not.toContain(PASSWORD);
    });

    it('GetMe returns the caller, and refuses a call without a user caller', async () => {
      const session = await register(uniqueEmail(), PASSWORD, 'Me');
      const me = await asCaller({ ownerId: userId(session) }, () => auth.getMe({}));
      expect(me.user).toMatchObject({ id: userId(session), email: session.user?.email, displayName: 'Me' });
      expect(me.user?.group).toBe('normal');
      expect(me.user?.disabled).toBe(false);
      expect(me.user?.createdAt).toBeDefined();

      expect(await codeOf(auth.getMe({}))).toBe(ErrorCode.UNAUTHENTICATED);
      expect(await codeOf(asCaller({ ownerId: 'ip:203.0.113.1', kind: 2 }, () => auth.getMe({})))).toBe(
        ErrorCode.UNAUTHENTICATED,
      );
      // A caller token signed with another key is refused before the handler runs.
      expect(await codeOf(asCaller({ ownerId: userId(session) }, () => auth.getMe({}), 'x'.repeat(40)))).toBe(
        ErrorCode.UNAUTHENTICATED,
      );
    });

    it('answers EMAIL_TAKEN for the same email in another case, with spaces, or in another Unicode form', async () => {
      const local = `jos\u00e9-${Date.now()}`;
      await register(`${local}@Example.test`);
      for (const variant of [
        `${local.toUpperCase()}@EXAMPLE.TEST`,
        ` ${local}@example.test\t`,
        `${local.normalize('NFD')}@example.test`,
      ]) {
        const error = await failure(
          auth.register({ email: variant, password: PASSWORD, displayName: '', clientAddress: '' }),
        );
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(ErrorCode.EMAIL_TAKEN);
        expect((error as DomainError).httpStatus).toBe(409);
      }
      const rows = await h.db.query('SELECT id FROM users WHERE email = ?', [`${local}@example.test`]);
      expect(rows).toHaveLength(1);
    });

    it('refuses bad input with VALIDATION_FAILED', async () => {
      const attempt = (email: string, password: string, displayName = '') =>
        codeOf(auth.register({ email, password, displayName, clientAddress: '' }));
      expect(await attempt('no-at-sign.example.test', PASSWORD)).toBe(ErrorCode.VALIDATION_FAILED);
      expect(await attempt('a@b@example.test', PASSWORD)).toBe(ErrorCode.VALIDATION_FAILED);
      expect(await attempt(`${'a'.repeat(310)}@example.test`, PASSWORD)).toBe(ErrorCode.VALIDATION_FAILED);
      expect(await attempt(uniqueEmail(), 'x'.repeat(7))).toBe(ErrorCode.VALIDATION_FAILED);
      expect(await attempt(uniqueEmail(), 'x'.repeat(257))).toBe(ErrorCode.VALIDATION_FAILED);
      expect(await attempt(uniqueEmail(), PASSWORD, 'n'.repeat(101))).toBe(ErrorCode.VALIDATION_FAILED);
    });

    it('checks the password exactly as received: 8 and 256 characters work, a trailing space matters', async () => {
      const longEmail = uniqueEmail();
      const longest = 'p'.repeat(255) + 'q';
      await register(longEmail, longest);
      expect(userId(await login(longEmail, longest))).toBeTruthy();
      expect(await codeOf(login(longEmail, 'p'.repeat(256)))).toBe(ErrorCode.INVALID_CREDENTIALS);
      expect(await codeOf(login(longEmail, longest + 'q'))).toBe(ErrorCode.INVALID_CREDENTIALS);

      const spaced = uniqueEmail();
      await register(spaced, 'Password1 ');
      expect(await codeOf(login(spaced, 'Password1'))).toBe(ErrorCode.INVALID_CREDENTIALS);
      expect(await codeOf(login(spaced, ' Password1 '))).toBe(ErrorCode.INVALID_CREDENTIALS);
      expect(await codeOf(login(spaced, 'Password1 '))).toBe('OK');

      const shortest = uniqueEmail();
      await register(shortest, '12345678');
      expect(await codeOf(login(shortest, '12345678'))).toBe('OK');
    });

    it('logs in by any spelling of the email and gives each login its own session family', async () => {
      const email = uniqueEmail();
      const registered = await register(email);
      const first = await login(email.toUpperCase());
      const second = await login(` ${email} `);
      expect(userId(first)).toBe(userId(registered));
      expect(new Set([sid(registered), sid(first), sid(second)]).size).toBe(3);
    });
  });

  describe('refresh rotation (AUTH-03)', () => {
    it('rotates on every use within one family, and stores only hashes', async () => {
      const email = uniqueEmail();
      await register(email);
      const first = await login(email);
      const second = await refresh(first.refreshToken);
      const third = await refresh(second.refreshToken);

      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(sid(second)).toBe(sid(first));
      expect(sid(third)).toBe(sid(first));
      expect((await verify(third)).sessionId).toBe(sid(first));

      const rows = await familyRows(sid(first));
      expect(rows).toHaveLength(3);
      const byHash = new Map(rows.map((row) => [row.refresh_token_hash, row]));
      const r1 = byHash.get(sha256Hex(first.refreshToken));
      const r2 = byHash.get(sha256Hex(second.refreshToken));
      const r3 = byHash.get(sha256Hex(third.refreshToken));
      expect(r1?.id).toBe(sid(first));
      expect(r1?.rotated_at).not.toBeNull();
      expect(r1?.replaced_by).toBe(r2?.id);
      expect(r2?.replaced_by).toBe(r3?.id);
      expect(r3?.rotated_at).toBeNull();
      expect(rows.every((row) => row.revoked_at === null)).toBe(true);

      const dump = JSON.stringify(await h.db.query('SELECT * FROM sessions'));
      for (const token of [first, second, third].map((s) => s.refreshToken)) {
        expect(dump).not.toContain(token);
        expect(dump).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
      }
    });

    it('revokes the whole family when a used token is replayed; other families of the user keep working', async () => {
      const email = uniqueEmail();
      await register(email);
      const [a1, otherDevice] = [await login(email), await login(email)];
      const a2 = await refresh(a1.refreshToken);
      expect(await codeOf(verify(a2))).toBe('OK');

      // Past the grace window that forgives a client racing itself.
      h.clock.offsetMs = h.config.AUTH_REFRESH_GRACE_SECONDS * 1000;
      const replay = await failure(auth.refresh({ refreshToken: a1.refreshToken }));
      expect(replay).toBeInstanceOf(DomainError);
      expect((replay as DomainError).code).toBe(ErrorCode.REFRESH_TOKEN_REUSED);
      expect((replay as DomainError).httpStatus).toBe(401);

      expect(await codeOf(auth.refresh({ refreshToken: a2.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
      expect(await codeOf(verify(a2))).toBe(ErrorCode.SESSION_REVOKED);
      expect(await codeOf(verify(a1))).toBe(ErrorCode.SESSION_REVOKED);
      const rows = await familyRows(sid(a1));
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.every((row) => row.revoked_at !== null)).toBe(true);
      expect(await h.redis.get(sessionKey(sid(a1)))).toBe('1');
      const ttl = await h.redis.ttl(sessionKey(sid(a1)));
      expect(ttl).toBeGreaterThan(900);
      expect(ttl).toBeLessThanOrEqual(960);

      // The other device's family is untouched.
      expect(await h.redis.exists(sessionKey(sid(otherDevice)))).toBe(0);
      const rotated = await refresh(otherDevice.refreshToken);
      expect(await codeOf(verify(rotated))).toBe('OK');

      // A security event names the family, never the token.
      const event = h.securityEvents.find((e) => e['event'] === 'refresh_token_reuse' && e['familyId'] === sid(a1));
      expect(event).toMatchObject({ userId: userId(a1) });
      const logged = JSON.stringify(h.securityEvents);
      expect(logged).not.toContain(a1.refreshToken);
      expect(logged).not.toContain(sha256Hex(a1.refreshToken));
    });

    it('ends a family at its absolute lifetime however recently it was rotated', async () => {
      const email = uniqueEmail();
      await register(email);
      let session = await login(email);
      for (const day of [10, 20, 29, 30]) {
        h.clock.offsetMs = day * 86_400_000 - 1_000;
        session = await refresh(session.refreshToken);
      }
      h.clock.offsetMs = 30 * 86_400_000 + 1_000;
      expect(await codeOf(auth.refresh({ refreshToken: session.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
    });

    it('answers UNAUTHENTICATED to unknown or malformed refresh tokens', async () => {
      expect(await codeOf(auth.refresh({ refreshToken: 'A'.repeat(43) }))).toBe(ErrorCode.UNAUTHENTICATED);
      expect(await codeOf(auth.refresh({ refreshToken: '' }))).toBe(ErrorCode.UNAUTHENTICATED);
      expect(await codeOf(auth.refresh({ refreshToken: "' OR 1=1 --" }))).toBe(ErrorCode.UNAUTHENTICATED);
      expect(await codeOf(auth.refresh({ refreshToken: 'x'.repeat(10_000) }))).toBe(ErrorCode.UNAUTHENTICATED);
    });

    it('refreshes an anonymous user too', async () => {
      const anonymous = await auth.createAnonymousUser({ fingerprint: '' });
      const next = await refresh(anonymous.refreshToken);
      expect(next.user?.group).toBe('anonymous');
      expect((await verify(next)).userId).toBe(anonymous.user?.id);
    });
  });

  describe('revocation (AUTH-05)', () => {
    it('logout revokes the session at once (Redis marker, SESSION_REVOKED) and leaves other devices alone', async () => {
      const email = uniqueEmail();
      await register(email);
      const x = await login(email);
      const y = await login(email);

      await asCaller({ ownerId: userId(x) }, () => auth.logout({ refreshToken: x.refreshToken, sessionId: sid(x) }));

      expect(await h.redis.get(sessionKey(sid(x)))).toBe('1');
      expect(await codeOf(verify(x))).toBe(ErrorCode.SESSION_REVOKED);
      expect(await codeOf(auth.refresh({ refreshToken: x.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
      expect(await codeOf(verify(y))).toBe('OK');
      expect(await h.redis.exists(sessionKey(sid(y)))).toBe(0);

      // Idempotent.
      await h.redis.del(sessionKey(sid(x)));
      await asCaller({ ownerId: userId(x) }, () => auth.logout({ refreshToken: x.refreshToken, sessionId: sid(x) }));
      expect(await h.redis.get(sessionKey(sid(x)))).toBe('1');
    });

    it("logout cannot end another user's session, and needs a caller", async () => {
      const victim = await register();
      const attacker = await register();
      await asCaller({ ownerId: userId(attacker) }, () =>
        auth.logout({ refreshToken: victim.refreshToken, sessionId: sid(victim) }),
      );
      expect(await codeOf(verify(victim))).toBe('OK');
      expect(await h.redis.exists(sessionKey(sid(victim)))).toBe(0);
      expect(await codeOf(auth.logout({ refreshToken: victim.refreshToken, sessionId: sid(victim) }))).toBe(
        ErrorCode.UNAUTHENTICATED,
      );
      expect(await codeOf(verify(victim))).toBe('OK');
    });

    it('password change with sign-out revokes every other family and returns working fresh tokens', async () => {
      const email = uniqueEmail();
      await register(email);
      const x = await login(email);
      const y = await login(email);
      const newPassword = 'a brand new passphrase';

      const fresh = sessionOf(
        await asCaller({ ownerId: userId(x) }, () =>
          auth.changePassword({
            currentPassword: PASSWORD,
            newPassword,
            signOutOtherSessions: true,
            sessionId: sid(x),
          }),
        ),
      );

      expect(sid(fresh)).not.toBe(sid(x));
      expect(await codeOf(verify(fresh))).toBe('OK');
      expect(await codeOf(refresh(fresh.refreshToken))).toBe('OK');
      for (const old of [x, y]) {
        expect(await codeOf(verify(old))).toBe(ErrorCode.SESSION_REVOKED);
        expect(await codeOf(auth.refresh({ refreshToken: old.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
        expect(await h.redis.get(sessionKey(sid(old)))).toBe('1');
      }
      expect(await h.redis.exists(sessionKey(sid(fresh)))).toBe(0);
      expect(await codeOf(login(email, PASSWORD))).toBe(ErrorCode.INVALID_CREDENTIALS);
      expect(await codeOf(login(email, newPassword))).toBe('OK');
    });

    it('password change without sign-out still replaces the calling session, other devices keep working', async () => {
      const email = uniqueEmail();
      await register(email);
      const x = await login(email);
      const y = await login(email);
      const fresh = sessionOf(
        await asCaller({ ownerId: userId(x) }, () =>
          auth.changePassword({
            currentPassword: PASSWORD,
            newPassword: 'another new passphrase',
            signOutOtherSessions: false,
            sessionId: sid(x),
          }),
        ),
      );
      expect(await codeOf(verify(fresh))).toBe('OK');
      expect(await codeOf(verify(x))).toBe(ErrorCode.SESSION_REVOKED);
      expect(await h.redis.get(sessionKey(sid(x)))).toBe('1');
      expect(await codeOf(verify(y))).toBe('OK');
    });

    it('password change refuses a wrong current password and a bad new one', async () => {
      const session = await register();
      const change = (currentPassword: string, newPassword: string) =>
        codeOf(
          asCaller({ ownerId: userId(session) }, () =>
            auth.changePassword({ currentPassword, newPassword, signOutOtherSessions: true, sessionId: sid(session) }),
          ),
        );
      expect(await change('wrong password!', 'a fine new password')).toBe(ErrorCode.INVALID_CREDENTIALS);
      expect(await change(PASSWORD, 'short')).toBe(ErrorCode.VALIDATION_FAILED);
      expect(await change(PASSWORD, 'x'.repeat(257))).toBe(ErrorCode.VALIDATION_FAILED);
      expect(await codeOf(verify(session))).toBe('OK');
      expect(
        await codeOf(
          auth.changePassword({
            currentPassword: PASSWORD,
            newPassword: 'x'.repeat(9),
            signOutOtherSessions: false,
            sessionId: '',
          }),
        ),
      ).toBe(ErrorCode.UNAUTHENTICATED);
    });

    it('disabling revokes every session at once (user marker in Redis); enabling lifts the marker', async () => {
      const email = uniqueEmail();
      await register(email);
      const x = await login(email);
      const y = await login(email);
      const id = userId(x);

      const disabled = await asAdmin(() => h.admin.updateUser({ userId: id, disabled: true }));
      expect(disabled.user?.disabled).toBe(true);

      expect(await h.redis.get(userKey(id))).toBe('1');
      for (const session of [x, y]) {
        expect(await h.redis.get(sessionKey(sid(session)))).toBe('1');
        expect([ErrorCode.ACCOUNT_DISABLED, ErrorCode.SESSION_REVOKED]).toContain(await codeOf(verify(session)));
        expect(await codeOf(auth.refresh({ refreshToken: session.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
      }
      expect(await codeOf(verify(x))).toBe(ErrorCode.ACCOUNT_DISABLED);
      const [row] = (await h.db.query('SELECT disabled_at FROM users WHERE id = ?', [id])) as Array<{
        disabled_at: Date | null;
      }>;
      expect(row?.disabled_at).toBeInstanceOf(Date);
      expect(await codeOf(login(email))).toBe(ErrorCode.INVALID_CREDENTIALS);

      const enabled = await asAdmin(() => h.admin.updateUser({ userId: id, disabled: false }));
      expect(enabled.user?.disabled).toBe(false);
      expect(await h.redis.exists(userKey(id))).toBe(0);
      const again = await login(email);
      expect(await codeOf(verify(again))).toBe('OK');
      expect(await codeOf(verify(x))).toBe(ErrorCode.SESSION_REVOKED);
    });
  });

  describe('UpdateUser', () => {
    it('lets an admin change the group, which the next verification reports', async () => {
      const session = await register();
      const updated = await asAdmin(() => h.admin.updateUser({ userId: userId(session), group: 'vip' }));
      expect(updated.user).toMatchObject({ id: userId(session), group: 'vip' });
      expect((await verify(session)).group).toBe('vip');
      expect((await refresh(session.refreshToken)).user?.group).toBe('vip');
    });

    it('refuses non-admins with ADMIN_REQUIRED (the group is read from the database, not the caller token)', async () => {
      const target = await register();
      const plain = await register();
      expect(
        await codeOf(
          asCaller({ ownerId: userId(plain) }, () => h.admin.updateUser({ userId: userId(target), group: 'admin' })),
        ),
      ).toBe(ErrorCode.ADMIN_REQUIRED);
      expect(
        await codeOf(
          asCaller({ ownerId: userId(plain), group: 'admin' }, () =>
            h.admin.updateUser({ userId: userId(target), disabled: true }),
          ),
        ),
      ).toBe(ErrorCode.ADMIN_REQUIRED);
      expect(await codeOf(h.admin.updateUser({ userId: userId(target), group: 'admin' }))).toBe(
        ErrorCode.UNAUTHENTICATED,
      );
      expect((await verify(target)).group).toBe('normal');
    });

    it('answers VALIDATION_FAILED for an unknown group and NOT_FOUND for an unknown user', async () => {
      const target = await register();
      expect(await codeOf(asAdmin(() => h.admin.updateUser({ userId: userId(target), group: 'root' })))).toBe(
        ErrorCode.VALIDATION_FAILED,
      );
      expect(
        await codeOf(
          asAdmin(() => h.admin.updateUser({ userId: '01900000-0000-7000-8000-000000000000', group: 'vip' })),
        ),
      ).toBe(ErrorCode.NOT_FOUND);
      expect(await codeOf(asAdmin(() => h.admin.updateUser({ userId: 'nope', disabled: true })))).toBe(
        ErrorCode.NOT_FOUND,
      );
    });
  });

  describe('brute force and enumeration (AUTH-06)', () => {
    it('answers unknown email, wrong password and disabled account identically', async () => {
      const email = uniqueEmail();
      await register(email);
      const disabledEmail = uniqueEmail();
      const disabled = await register(disabledEmail);
      await asAdmin(() => h.admin.updateUser({ userId: userId(disabled), disabled: true }));

      const errors = await Promise.all([
        failure(login(uniqueEmail('nobody'))),
        failure(login(email, 'wrong password')),
        failure(login(disabledEmail)),
      ]);
      const shapes = errors.map((error) => {
        expect(error).toBeInstanceOf(DomainError);
        const { code, message, details, httpStatus } = error as DomainError;
        return { code, message, details, httpStatus };
      });
      expect(shapes[0]).toEqual({
        code: ErrorCode.INVALID_CREDENTIALS,
        message: 'Invalid email or password',
        details: {},
        httpStatus: 401,
      });
      expect(shapes[1]).toEqual(shapes[0]);
      expect(shapes[2]).toEqual(shapes[0]);
    });

    it('locks an account after 10 failures (RATE_LIMITED with retryAfterSeconds), even for the right password, until the window ends', async () => {
      const email = uniqueEmail();
      await register(email);
      alignToWindowStart();
      // Each failure from its own address, so only the per-account limit is in play.
      const failures = await Promise.all(
        Array.from({ length: 10 }, () => codeOf(login(email, 'wrong password', uniqueAddress()))),
      );
      expect(failures).toEqual(Array(10).fill(ErrorCode.INVALID_CREDENTIALS));

      const locked = await failure(login(email, 'wrong password'));
      expect(locked).toBeInstanceOf(DomainError);
      expect((locked as DomainError).code).toBe(ErrorCode.RATE_LIMITED);
      const retryAfter = (locked as DomainError).details['retryAfterSeconds'];
      expect(typeof retryAfter).toBe('number');
      expect(retryAfter as number).toBeGreaterThan(0);
      expect(retryAfter as number).toBeLessThanOrEqual(900);

      expect(await codeOf(login(email, PASSWORD))).toBe(ErrorCode.RATE_LIMITED);
      // Another account is not affected.
      const other = uniqueEmail();
      await register(other);
      expect(await codeOf(login(other))).toBe('OK');

      // Temporary: the next window lets the owner in.
      h.clock.offsetMs += 15 * 60 * 1000;
      expect(await codeOf(login(email, PASSWORD))).toBe('OK');
    });

    it('limits a source spraying many emails to 50 failures; other sources still log in', async () => {
      const address = uniqueAddress();
      const email = uniqueEmail();
      await register(email);
      alignToWindowStart();
      const sprayed = await Promise.all(
        Array.from({ length: 50 }, () => codeOf(login(uniqueEmail('spray'), 'Winter2030!', address))),
      );
      expect(sprayed).toEqual(Array(50).fill(ErrorCode.INVALID_CREDENTIALS));

      const limited = await failure(login(uniqueEmail('spray'), 'Winter2030!', address));
      expect((limited as DomainError).code).toBe(ErrorCode.RATE_LIMITED);
      expect((limited as DomainError).details['retryAfterSeconds']).toBeGreaterThan(0);
      expect(await codeOf(login(email, PASSWORD, address))).toBe(ErrorCode.RATE_LIMITED);
      expect(await codeOf(login(email, PASSWORD, uniqueAddress()))).toBe('OK');
    });

    it('keeps only hashed emails and addresses in the failure counters', async () => {
      const email = uniqueEmail('counted');
      const address = uniqueAddress();
      await codeOf(login(email, 'wrong password', address));
      const keys = await h.redis.keys(`${h.config.AUTH_REDIS_PREFIX}login-failures:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.join(' ')).not.toContain(email);
      expect(keys.join(' ')).not.toContain(address);
    });
  });

  describe('admin bootstrap', () => {
    it('creates the configured admin once and never resets it', async () => {
      const rows = async () =>
        (await h.db.query('SELECT id, group_name, password_hash FROM users WHERE email = ?', [ADMIN_EMAIL])) as Array<{
          id: string;
          group_name: string;
          password_hash: string;
        }>;
      const [admin] = await rows();
      expect(admin?.group_name).toBe('admin');
      expect(await codeOf(login(ADMIN_EMAIL, ADMIN_PASSWORD))).toBe('OK');

      // A second instance on the same database with another password changes nothing.
      const second = await startHarness({
        database: h.config.AUTH_DATABASE,
        env: { ADMIN_EMAIL: ADMIN_EMAIL.toUpperCase(), ADMIN_PASSWORD: 'a different password' },
      });
      try {
        expect(await rows()).toEqual([admin]);
        expect(
          await codeOf(
            second.auth.login({ email: ADMIN_EMAIL, password: 'a different password', clientAddress: uniqueAddress() }),
          ),
        ).toBe(ErrorCode.INVALID_CREDENTIALS);
      } finally {
        await second.close();
      }
    });
  });

  describe('Redis unavailable', () => {
    it('login fails closed with SERVICE_UNAVAILABLE', async () => {
      const email = uniqueEmail();
      await register(email);
      // A "Redis" that hangs up on every connection: the service must fail closed, not wait.
      const deadRedis = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => deadRedis.listen(0, '127.0.0.1', resolve));
      const { port } = deadRedis.address() as AddressInfo;
      const broken = await startHarness({
        database: h.config.AUTH_DATABASE,
        env: { REDIS_URL: `redis://127.0.0.1:${port}` },
      });
      try {
        const error = await failure(broken.auth.login({ email, password: PASSWORD, clientAddress: uniqueAddress() }));
        expect((error as DomainError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
        // Without Redis no revocation can reach the gateways: logout says so (and can be retried).
        const session = sessionOf(
          await broken.auth.register({ email: uniqueEmail(), password: PASSWORD, displayName: '', clientAddress: '' }),
        );
        expect(
          await codeOf(
            asCaller({ ownerId: userId(session) }, () =>
              broken.auth.logout({ refreshToken: session.refreshToken, sessionId: sid(session) }),
            ),
          ),
        ).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      } finally {
        await broken.close();
        await new Promise<void>((resolve) => deadRedis.close(() => resolve()));
      }
    });
  });
});

// Refresh-token races between a client's own tabs (grace window) and idle expiry of
// families, over the real gRPC server, a real MariaDB database and a real Redis.
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { decodeJwt } from 'jose';
import { createServer, type AddressInfo } from 'node:net';
import { sha256Hex } from '../src/auth/sha256.js';
import { codeOf, failure, sessionOf, startHarness, type Harness } from './harness.js';

interface SessionRow {
  id: string;
  family_id: string;
  refresh_token_hash: string;
  created_at: Date;
  revoked_at: Date | null;
  rotated_at: Date | null;
  replaced_by: string | null;
}

const DAY_MS = 86_400_000;

describe('Refresh grace window and idle expiry (gRPC + MariaDB + Redis)', () => {
  let h: Harness;
  let auth: Harness['auth'];

  beforeAll(async () => {
    h = await startHarness();
    auth = h.auth;
  });

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => {
    h.clock.offsetMs = 0;
  });

  const signIn = async () => {
    const created = await auth.createAnonymousUser({ fingerprint: '' });
    return { user: created.user, accessToken: created.accessToken, refreshToken: created.refreshToken };
  };
  const refresh = async (refreshToken: string) => sessionOf(await auth.refresh({ refreshToken }));
  const sid = (session: { accessToken: string }) => decodeJwt(session.accessToken)['sid'] as string;
  const verify = (session: { accessToken: string }) => auth.verifyAccessToken({ accessToken: session.accessToken });
  const familyRows = async (familyId: string) =>
    (await h.db.query('SELECT * FROM sessions WHERE family_id = ?', [familyId])) as SessionRow[];
  const rowOf = async (refreshToken: string) =>
    (
      (await h.db.query('SELECT * FROM sessions WHERE refresh_token_hash = ?', [
        sha256Hex(refreshToken),
      ])) as SessionRow[]
    )[0];
  const graceKey = (rowId: string) => `${h.config.AUTH_REDIS_PREFIX}refresh-grace:${rowId}`;

  describe('two tabs refreshing the same token', () => {
    it('answers both of two simultaneous refreshes with the same successor and keeps the family alive', async () => {
      const first = await signIn();

      const [a, b] = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);

      expect(a.refreshToken).toBe(b.refreshToken);
      expect(a.refreshToken).not.toBe(first.refreshToken);
      expect(await codeOf(verify(a))).toBe('OK');
      expect(await codeOf(verify(b))).toBe('OK');
      // One rotation happened, not two, and nothing was revoked.
      const rows = await familyRows(sid(first));
      expect(rows).toHaveLength(2);
      expect(rows.every((row) => row.revoked_at === null)).toBe(true);
      expect(h.securityEvents.some((e) => e['event'] === 'refresh_token_reuse' && e['familyId'] === sid(first))).toBe(
        false,
      );

      // The shared successor keeps rotating normally.
      const next = await refresh(a.refreshToken);
      expect(await codeOf(verify(next))).toBe('OK');
    });

    it('answers five simultaneous refreshes of one token with one successor', async () => {
      const first = await signIn();

      const results = await Promise.allSettled(Array.from({ length: 5 }, () => refresh(first.refreshToken)));

      const tokens = results.map((result) =>
        result.status === 'fulfilled' ? result.value.refreshToken : result.reason,
      );
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await familyRows(sid(first))).toHaveLength(2);
    });

    it('hands the same successor out again within the window, with a fresh access token', async () => {
      const first = await signIn();
      const second = await refresh(first.refreshToken);

      h.clock.offsetMs = 5_000;
      const again = await refresh(first.refreshToken);

      expect(again.refreshToken).toBe(second.refreshToken);
      expect(again.accessToken).not.toBe(second.accessToken);
      expect(sid(again)).toBe(sid(first));
      expect(await codeOf(verify(again))).toBe('OK');
      // The successor keeps working after the grace replay.
      const third = await refresh(second.refreshToken);
      expect(await codeOf(verify(third))).toBe('OK');
      expect((await familyRows(sid(first))).every((row) => row.revoked_at === null)).toBe(true);
    });

    it('treats a replay once the window has passed as reuse and revokes the family', async () => {
      const first = await signIn();
      const second = await refresh(first.refreshToken);

      h.clock.offsetMs = 10_000;
      const replay = await failure(auth.refresh({ refreshToken: first.refreshToken }));

      expect((replay as DomainError).code).toBe(ErrorCode.REFRESH_TOKEN_REUSED);
      expect(await codeOf(auth.refresh({ refreshToken: second.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
      expect(await codeOf(verify(second))).toBe(ErrorCode.SESSION_REVOKED);
      expect((await familyRows(sid(first))).every((row) => row.revoked_at !== null)).toBe(true);
    });

    it('treats the predecessor of the predecessor as reuse even inside the window', async () => {
      const first = await signIn();
      const second = await refresh(first.refreshToken);
      const third = await refresh(second.refreshToken);

      const replay = await failure(auth.refresh({ refreshToken: first.refreshToken }));

      expect((replay as DomainError).code).toBe(ErrorCode.REFRESH_TOKEN_REUSED);
      expect(await codeOf(auth.refresh({ refreshToken: third.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
      expect(await codeOf(verify(third))).toBe(ErrorCode.SESSION_REVOKED);
      expect(await h.redis.get(`${h.config.AUTH_REDIS_PREFIX}revoked:session:${sid(first)}`)).toBe('1');
    });

    it('answers a retryable REFRESH_IN_PROGRESS when the successor cannot be recalled, and keeps the family', async () => {
      const first = await signIn();
      const second = await refresh(first.refreshToken);
      const predecessor = await rowOf(first.refreshToken);
      expect(await h.redis.del(graceKey(predecessor?.id ?? ''))).toBe(1);

      const retry = await failure(auth.refresh({ refreshToken: first.refreshToken }));

      expect((retry as DomainError).code).toBe(ErrorCode.REFRESH_IN_PROGRESS);
      expect((retry as DomainError).httpStatus).toBe(409);
      expect((retry as DomainError).details).toEqual({ retryAfterSeconds: 1 });
      expect((await familyRows(sid(first))).every((row) => row.revoked_at === null)).toBe(true);
      expect(await codeOf(verify(second))).toBe('OK');
    });

    it('does not hand out the successor of a family signed out in the meantime', async () => {
      const first = await signIn();
      const second = await refresh(first.refreshToken);
      await h.db.query('UPDATE sessions SET revoked_at = UTC_TIMESTAMP(3) WHERE family_id = ?', [sid(first)]);

      expect(await codeOf(auth.refresh({ refreshToken: first.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
      expect(await codeOf(auth.refresh({ refreshToken: second.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
    });
  });

  describe('what is kept for the window', () => {
    it('keeps the successor only in Redis, encrypted, for the grace window; MySQL holds only hashes', async () => {
      const first = await signIn();
      const second = await refresh(first.refreshToken);
      const predecessor = await rowOf(first.refreshToken);

      const key = graceKey(predecessor?.id ?? '');
      const stored = await h.redis.get(key);
      const ttlMs = await h.redis.pttl(key);
      expect(stored).not.toBeNull();
      expect(ttlMs).toBeGreaterThan(0);
      expect(ttlMs).toBeLessThanOrEqual(10_000);

      const successorBytes = Buffer.from(second.refreshToken, 'base64url');
      const forms = [second.refreshToken, successorBytes.toString('base64'), successorBytes.toString('hex')];
      const dump = JSON.stringify(await h.db.query('SELECT * FROM sessions'));
      for (const form of forms) {
        expect(stored).not.toContain(form);
        expect(dump).not.toContain(form);
      }
    });

    it('refuses the refresh, and leaves the token usable, when the successor cannot be kept', async () => {
      const first = await signIn();
      // A "Redis" that hangs up on every connection.
      const deadRedis = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => deadRedis.listen(0, '127.0.0.1', resolve));
      const { port } = deadRedis.address() as AddressInfo;
      const broken = await startHarness({
        database: h.config.AUTH_DATABASE,
        env: { REDIS_URL: `redis://127.0.0.1:${port}` },
      });
      try {
        expect(await codeOf(broken.auth.refresh({ refreshToken: first.refreshToken }))).toBe(
          ErrorCode.SERVICE_UNAVAILABLE,
        );
      } finally {
        await broken.close();
        await new Promise<void>((resolve) => deadRedis.close(() => resolve()));
      }

      // Nothing was rotated: no partial state, and the token still works with Redis back.
      const rows = await familyRows(sid(first));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.rotated_at).toBeNull();
      expect(await codeOf(verify(await refresh(first.refreshToken)))).toBe('OK');
    });
  });

  describe('idle expiry', () => {
    it('ends a family that was not refreshed for 14 days (the default) with SESSION_REVOKED', async () => {
      const kept = await signIn();
      const idle = await signIn();

      h.clock.offsetMs = 14 * DAY_MS - 60_000;
      const rotated = await refresh(kept.refreshToken);
      h.clock.offsetMs = 14 * DAY_MS;

      expect(await codeOf(auth.refresh({ refreshToken: idle.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
      // Idleness counts from the last refresh, not from the sign-in.
      expect(await codeOf(refresh(rotated.refreshToken))).toBe('OK');
    });

    it('still ends a family at its absolute lifetime when it is refreshed often', async () => {
      let session = await signIn();
      for (let day = 7; day < 30; day += 7) {
        h.clock.offsetMs = day * DAY_MS;
        session = await refresh(session.refreshToken);
      }
      h.clock.offsetMs = 30 * DAY_MS;
      expect(await codeOf(auth.refresh({ refreshToken: session.refreshToken }))).toBe(ErrorCode.SESSION_REVOKED);
    });
  });
});

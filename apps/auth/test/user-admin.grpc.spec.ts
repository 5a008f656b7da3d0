// The admin console's UserAdminService over the real gRPC server, a real MariaDB database and a real Redis.
import { commonV1, type authV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { signCallerToken } from '@lexy/server-grpc';
import { runWithRequestContext } from '@lexy/server-logging';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  asCaller,
  CALLER_SECRET,
  codeOf,
  failure,
  sessionOf,
  startHarness,
  uniqueAddress,
  uniqueEmail,
  USER_KIND,
  type Harness,
} from './harness.js';

const ADMIN_EMAIL = `admin-${process.pid}-${Date.now()}@example.test`;
const ADMIN_PASSWORD = 'bootstrap admin password';
const PASSWORD = 'correct horse battery';
const DAY_MS = 24 * 60 * 60 * 1000;

interface AuditRow {
  id: string;
  actor_id: string;
  action: string;
  target: string;
  before_json: string;
  after_json: string;
  details_json: string;
  request_id: string;
}

describe('UserAdminService (gRPC + MariaDB + Redis)', () => {
  let h: Harness;
  let adminId: string;

  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_EMAIL, ADMIN_PASSWORD } });
    const rows = (await h.db.query('SELECT id FROM users WHERE email = ?', [ADMIN_EMAIL])) as Array<{ id: string }>;
    adminId = rows[0]?.id ?? '';
  });

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => {
    h.clock.offsetMs = 0;
  });

  const register = async (email = uniqueEmail(), displayName = '') =>
    sessionOf(await h.auth.register({ email, password: PASSWORD, displayName, clientAddress: uniqueAddress() }))
      .user as authV1.User;
  /** Runs `call` as the bootstrap admin, with its own request id (X-Request-Id). */
  const asAdmin = <T>(call: () => Promise<T>, requestId = 'test', ownerId = adminId) =>
    runWithRequestContext(
      { requestId, callerToken: signCallerToken({ ownerId, group: 'admin', kind: USER_KIND }, CALLER_SECRET) },
      call,
    );
  const listUsers = (request: Partial<authV1.ListUsersRequest> = {}) =>
    h.admin.listUsers({
      query: '',
      group: '',
      sort: '',
      order: commonV1.SortOrder.SORT_ORDER_UNSPECIFIED,
      page: undefined,
      ...request,
    });
  const page = (limit: number, cursor = '') => ({ limit, cursor });
  const auditRows = async (target: string) =>
    (await h.db.query('SELECT * FROM audit_log WHERE target = ? ORDER BY at, id', [target])) as AuditRow[];
  /** Every registered user's id, in the order a sort must give. */
  const registeredIds = async (orderBy: string) =>
    (
      (await h.db.query(`SELECT id FROM users WHERE email IS NOT NULL ORDER BY ${orderBy}`)) as Array<{ id: string }>
    ).map((row) => row.id);
  /** Follows nextCursor to the end, returning the ids in the order they came and how many pages. */
  const allPages = async (request: Partial<authV1.ListUsersRequest>, limit: number) => {
    const ids: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const response = await asAdmin(() => listUsers({ ...request, page: page(limit, cursor) }));
      expect(response.items.length).toBeLessThanOrEqual(limit);
      ids.push(...response.items.map((user) => user.id));
      cursor = response.nextCursor;
      pages += 1;
    } while (cursor !== '');
    return { ids, pages };
  };
  /** Registered users written straight to the table (no argon2 work), all created at `createdAt`. */
  const insertUsers = async (count: number, label: string, createdAt = new Date()) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      ids.push(id);
      await h.db.query(
        `INSERT INTO users (id, group_name, email, password_hash, display_name, fingerprint_hash, disabled_at, created_at)
         VALUES (?, 'normal', ?, NULL, NULL, NULL, NULL, ?)`,
        [id, uniqueEmail(label), createdAt],
      );
    }
    return ids;
  };
  const detailsOf = async (promise: Promise<unknown>) => {
    const error = await failure(promise);
    expect(error).toBeInstanceOf(DomainError);
    return { code: (error as DomainError).code, field: (error as DomainError).details['field'] };
  };

  describe('who may call', () => {
    const calls: Record<string, (targetId: string) => Promise<unknown>> = {
      listUsers: () => listUsers(),
      getUsers: (targetId) => h.admin.getUsers({ userIds: [targetId] }),
      updateUser: (targetId) => h.admin.updateUser({ userId: targetId, group: 'vip' }),
      getUserStats: () => h.admin.getUserStats({ days: 0 }),
      listAudit: () => h.admin.listAudit({ page: undefined }),
    };

    it.each(Object.keys(calls))(
      '%s refuses a non-admin (ADMIN_REQUIRED, whatever the caller token says) and no user caller (UNAUTHENTICATED)',
      async (method) => {
        const call = calls[method]!;
        const target = await register();
        const plain = await register();
        expect(await codeOf(asCaller({ ownerId: plain.id }, () => call(target.id)))).toBe(ErrorCode.ADMIN_REQUIRED);
        expect(await codeOf(asCaller({ ownerId: plain.id, group: 'admin' }, () => call(target.id)))).toBe(
          ErrorCode.ADMIN_REQUIRED,
        );
        // A user id nobody has, signed as an admin.
        expect(await codeOf(asAdmin(() => call(target.id), 'test', randomUUID()))).toBe(ErrorCode.ADMIN_REQUIRED);
        expect(await codeOf(call(target.id))).toBe(ErrorCode.UNAUTHENTICATED);
        expect(
          await codeOf(asCaller({ ownerId: 'ip:203.0.113.9', group: 'admin', kind: 2 }, () => call(target.id))),
        ).toBe(ErrorCode.UNAUTHENTICATED);
        const [row] = (await h.db.query('SELECT group_name FROM users WHERE id = ?', [target.id])) as Array<{
          group_name: string;
        }>;
        expect(row?.group_name).toBe('normal');
        expect(await auditRows(`user:${target.id}`)).toEqual([]);
      },
    );

    it('a disabled or demoted admin loses the right at once', async () => {
      const second = await register();
      await asAdmin(() => h.admin.updateUser({ userId: second.id, group: 'admin' }));
      expect(await codeOf(asAdmin(() => listUsers(), 'test', second.id))).toBe('OK');

      await asAdmin(() => h.admin.updateUser({ userId: second.id, disabled: true }));
      expect(await codeOf(asAdmin(() => listUsers(), 'test', second.id))).toBe(ErrorCode.ADMIN_REQUIRED);
      await asAdmin(() => h.admin.updateUser({ userId: second.id, disabled: false }));
      expect(await codeOf(asAdmin(() => listUsers(), 'test', second.id))).toBe('OK');

      await asAdmin(() => h.admin.updateUser({ userId: second.id, group: 'vip' }));
      expect(await codeOf(asAdmin(() => h.admin.getUserStats({ days: 1 }), 'test', second.id))).toBe(
        ErrorCode.ADMIN_REQUIRED,
      );
    });
  });

  describe('ListUsers', () => {
    const tag = randomBytes(4).toString('hex');
    let percent: authV1.User;
    let underscore: authV1.User;
    let backslash: authV1.User;
    let injection: authV1.User;

    beforeAll(async () => {
      percent = await register(uniqueEmail(`pct${tag}`), `100% sure ${tag}`);
      underscore = await register(`under_${tag}@example.test`, 'Under Score');
      backslash = await register(uniqueEmail(`bs${tag}`), `Back\\slash ${tag}`);
      injection = await register(uniqueEmail(`inj${tag}`), `x' OR 1=1 -- ${tag}`);
    });

    const search = async (query: string) => (await asAdmin(() => listUsers({ query, page: page(100) }))).items;
    const matches = (text: string) => (user: authV1.User) =>
      user.email.toLowerCase().includes(text.toLowerCase()) ||
      user.displayName.toLowerCase().includes(text.toLowerCase());

    it('lists registered users only, never anonymous identities', async () => {
      const anonymous = await h.auth.createAnonymousUser({ fingerprint: '' });
      const registered = await register();
      const { ids } = await allPages({}, 100);
      expect(ids).toContain(registered.id);
      expect(ids).not.toContain(anonymous.user?.id);
      expect(ids).toHaveLength((await registeredIds('created_at')).length);
    });

    it('finds a part of the email or display name, case-insensitively', async () => {
      expect((await search(`UNDER_${tag.toUpperCase()}`)).map((user) => user.id)).toEqual([underscore.id]);
      expect((await search(`100% SURE ${tag}`)).map((user) => user.id)).toEqual([percent.id]);
      expect((await search(`  bs${tag}`)).map((user) => user.id)).toEqual([backslash.id]);
      expect(await search(`nobody-${tag}-nowhere`)).toEqual([]);
    });

    it('treats %, _ and \\ as themselves, not as wildcards', async () => {
      const total = (await registeredIds('id')).length;
      for (const [wildcard, user] of [
        ['%', percent],
        ['_', underscore],
        ['\\', backslash],
      ] as const) {
        const found = await search(wildcard);
        expect(found.map((item) => item.id)).toContain(user.id);
        expect(found.every(matches(wildcard))).toBe(true);
        expect(found.length).toBeLessThan(total);
      }
      // `_` as a wildcard would match any one character here; escaped, only a real `_` matches.
      expect(await search(`under${tag}`)).toEqual([]);
      expect((await search(`under_${tag}`)).map((user) => user.id)).toEqual([underscore.id]);
    });

    it("keeps an injection attempt a plain search text (' OR 1=1 --)", async () => {
      const found = await search("' OR 1=1 --");
      expect(found.map((user) => user.id)).toEqual([injection.id]);
      expect(await search("' OR '1'='1")).toEqual([]);
      expect(await search(`${tag}'; DROP TABLE users; --`)).toEqual([]);
      expect((await registeredIds('id')).length).toBeGreaterThan(1);
    });

    it('refuses a search text longer than 254 characters (10,000 % included)', async () => {
      expect(await search('a'.repeat(254))).toEqual([]);
      expect(await detailsOf(asAdmin(() => listUsers({ query: 'a'.repeat(255) })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'query',
      });
      expect(await detailsOf(asAdmin(() => listUsers({ query: '%'.repeat(10_000) })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'query',
      });
    });

    it('filters by group and by the disabled flag', async () => {
      const vip = await register(uniqueEmail(`grp${tag}`));
      const off = await register(uniqueEmail(`grp${tag}`));
      const plain = await register(uniqueEmail(`grp${tag}`));
      await asAdmin(() => h.admin.updateUser({ userId: vip.id, group: 'vip' }));
      await asAdmin(() => h.admin.updateUser({ userId: off.id, disabled: true }));
      const ids = async (request: Partial<authV1.ListUsersRequest>) =>
        (await asAdmin(() => listUsers({ query: `grp${tag}`, ...request }))).items.map((user) => user.id).sort();

      expect(await ids({})).toEqual([vip.id, off.id, plain.id].sort());
      expect(await ids({ group: 'vip' })).toEqual([vip.id]);
      expect(await ids({ group: 'normal' })).toEqual([off.id, plain.id].sort());
      expect(await ids({ disabled: true })).toEqual([off.id]);
      expect(await ids({ disabled: false })).toEqual([vip.id, plain.id].sort());
      expect(await ids({ group: 'vip', disabled: true })).toEqual([]);
      expect(await ids({ group: 'admin' })).toEqual([]);
      expect((await asAdmin(() => listUsers({ group: 'admin' }))).items.map((user) => user.id)).toContain(adminId);
      expect(await detailsOf(asAdmin(() => listUsers({ group: 'root' })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'group',
      });
    });

    it('sorts by createdAt or email only', async () => {
      expect(await detailsOf(asAdmin(() => listUsers({ sort: 'password' })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'sort',
      });
      expect(await detailsOf(asAdmin(() => listUsers({ sort: 'created_at' })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'sort',
      });
      expect(await detailsOf(asAdmin(() => listUsers({ order: 7 as commonV1.SortOrder })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'order',
      });
    });

    it('pages through every user exactly once, in each sort and direction, ties broken by id', async () => {
      // Users created in the same millisecond: only the id orders them.
      await insertUsers(5, `tie${tag}`, new Date(Date.now() - 60_000));
      const { ASC, DESC } = { ASC: commonV1.SortOrder.SORT_ORDER_ASC, DESC: commonV1.SortOrder.SORT_ORDER_DESC };
      const cases: Array<[Partial<authV1.ListUsersRequest>, string]> = [
        [{}, 'created_at DESC, id DESC'],
        [{ sort: 'createdAt', order: ASC }, 'created_at ASC, id ASC'],
        [{ sort: 'email' }, 'email ASC, id ASC'],
        [{ sort: 'email', order: DESC }, 'email DESC, id DESC'],
      ];
      for (const [request, orderBy] of cases) {
        const expected = await registeredIds(orderBy);
        const { ids, pages } = await allPages(request, 3);
        expect(ids).toEqual(expected);
        expect(new Set(ids).size).toBe(ids.length);
        expect(pages).toBe(Math.ceil(expected.length / 3));
      }
    });

    it('caps a page at 100 users', async () => {
      await insertUsers(101, `many${tag}`);
      const response = await asAdmin(() => listUsers({ query: `many${tag}`, page: page(500) }));
      expect(response.items).toHaveLength(100);
      expect(response.nextCursor).not.toBe('');
      const rest = await asAdmin(() => listUsers({ query: `many${tag}`, page: page(500, response.nextCursor) }));
      expect(rest.items).toHaveLength(1);
      expect(rest.nextCursor).toBe('');
      expect((await asAdmin(() => listUsers({ query: `many${tag}` }))).items).toHaveLength(50);
    });

    it('refuses a cursor of another sort, direction or filter, and garbage', async () => {
      const first = await asAdmin(() => listUsers({ sort: 'email', page: page(1) }));
      expect(first.nextCursor).not.toBe('');
      const withCursor = (request: Partial<authV1.ListUsersRequest>) =>
        detailsOf(asAdmin(() => listUsers({ ...request, page: page(1, first.nextCursor) })));
      const refused = { code: ErrorCode.VALIDATION_FAILED, field: 'cursor' };

      expect((await asAdmin(() => listUsers({ sort: 'email', page: page(1, first.nextCursor) }))).items).toHaveLength(
        1,
      );
      expect(await withCursor({})).toEqual(refused);
      expect(await withCursor({ sort: 'email', order: commonV1.SortOrder.SORT_ORDER_DESC })).toEqual(refused);
      expect(await withCursor({ sort: 'email', query: 'a' })).toEqual(refused);
      expect(await withCursor({ sort: 'email', disabled: false })).toEqual(refused);
      for (const cursor of ['garbage!', Buffer.from('["x","y","z"]').toString('base64url'), 'A'.repeat(3000)]) {
        expect(await detailsOf(asAdmin(() => listUsers({ page: page(1, cursor) })))).toEqual(refused);
      }
    });
  });

  describe('GetUsers', () => {
    it('returns the users asked for, anonymous ones too, and leaves unknown ids out', async () => {
      const registered = await register();
      const anonymous = (await h.auth.createAnonymousUser({ fingerprint: '' })).user as authV1.User;
      const { items } = await asAdmin(() =>
        h.admin.getUsers({
          userIds: [registered.id, anonymous.id, registered.id, randomUUID(), 'nope', "' OR 1=1 --"],
        }),
      );
      expect(items.map((user) => user.id).sort()).toEqual([registered.id, anonymous.id].sort());
      expect(items.find((user) => user.id === anonymous.id)).toMatchObject({ group: 'anonymous', email: '' });
      expect((await asAdmin(() => h.admin.getUsers({ userIds: [] }))).items).toEqual([]);
    });

    it('takes at most 200 ids', async () => {
      const ids = Array.from({ length: 200 }, () => randomUUID());
      expect((await asAdmin(() => h.admin.getUsers({ userIds: [...ids, adminId].slice(1) }))).items).toHaveLength(1);
      expect(await detailsOf(asAdmin(() => h.admin.getUsers({ userIds: [...ids, adminId] })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'userIds',
      });
    });
  });

  describe('UpdateUser and its audit entry', () => {
    it('records user.update with the group and disabled flag before and after, and the request id', async () => {
      const user = await register();
      const requestId = `req-${randomBytes(6).toString('hex')}`;
      const response = await asAdmin(() => h.admin.updateUser({ userId: user.id, group: 'vip' }), requestId);
      expect(response.user).toMatchObject({ id: user.id, group: 'vip', disabled: false });
      await asAdmin(() => h.admin.updateUser({ userId: user.id, disabled: true }), `${requestId}-2`);

      const rows = await auditRows(`user:${user.id}`);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        actor_id: adminId,
        action: 'user.update',
        target: `user:${user.id}`,
        request_id: requestId,
        details_json: '{}',
      });
      expect(JSON.parse(rows[0]!.before_json)).toEqual({ group: 'normal', disabled: false });
      expect(JSON.parse(rows[0]!.after_json)).toEqual({ group: 'vip', disabled: false });
      expect(rows[1]).toMatchObject({ request_id: `${requestId}-2` });
      expect(JSON.parse(rows[1]!.before_json)).toEqual({ group: 'vip', disabled: false });
      expect(JSON.parse(rows[1]!.after_json)).toEqual({ group: 'vip', disabled: true });
    });

    it('writes no entry for a refused change', async () => {
      const user = await register();
      expect(await codeOf(asAdmin(() => h.admin.updateUser({ userId: user.id, group: 'root' })))).toBe(
        ErrorCode.VALIDATION_FAILED,
      );
      expect(await codeOf(asAdmin(() => h.admin.updateUser({ userId: randomUUID(), group: 'vip' })))).toBe(
        ErrorCode.NOT_FOUND,
      );
      expect(await auditRows(`user:${user.id}`)).toEqual([]);
    });

    it('keeps the change and its entry together: no entry, no change', async () => {
      const user = await register();
      await h.db.query('RENAME TABLE audit_log TO audit_log_away');
      try {
        expect(await codeOf(asAdmin(() => h.admin.updateUser({ userId: user.id, group: 'vip', disabled: true })))).toBe(
          ErrorCode.INTERNAL,
        );
      } finally {
        await h.db.query('RENAME TABLE audit_log_away TO audit_log');
      }
      const [row] = (await h.db.query('SELECT group_name, disabled_at FROM users WHERE id = ?', [user.id])) as Array<{
        group_name: string;
        disabled_at: Date | null;
      }>;
      expect(row).toEqual({ group_name: 'normal', disabled_at: null });
      const live = (await h.db.query('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ? AND revoked_at IS NULL', [
        user.id,
      ])) as Array<{ n: number | string }>;
      expect(Number(live[0]?.n)).toBe(1);
    });

    it('refuses changing, updating or deleting an audit row in the database', async () => {
      const user = await register();
      await asAdmin(() => h.admin.updateUser({ userId: user.id, group: 'vip' }));
      const [before] = await auditRows(`user:${user.id}`);
      await expect(h.db.query("UPDATE audit_log SET after_json = '{}' WHERE id = ?", [before!.id])).rejects.toThrow(
        /append-only/,
      );
      await expect(h.db.query('DELETE FROM audit_log WHERE id = ?', [before!.id])).rejects.toThrow(/append-only/);
      expect(await auditRows(`user:${user.id}`)).toEqual([before]);
    });

    it('does not let an admin disable or demote themself', async () => {
      expect(await detailsOf(asAdmin(() => h.admin.updateUser({ userId: adminId, disabled: true })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'disabled',
      });
      for (const group of ['vip', 'normal', 'anonymous']) {
        expect(await detailsOf(asAdmin(() => h.admin.updateUser({ userId: adminId, group })))).toEqual({
          code: ErrorCode.VALIDATION_FAILED,
          field: 'group',
        });
      }
      const [row] = (await h.db.query('SELECT group_name, disabled_at FROM users WHERE id = ?', [adminId])) as Array<{
        group_name: string;
        disabled_at: Date | null;
      }>;
      expect(row).toEqual({ group_name: 'admin', disabled_at: null });
      // Staying an admin, or enabling oneself, changes nothing that matters and is allowed.
      expect(
        await codeOf(asAdmin(() => h.admin.updateUser({ userId: adminId, group: 'admin', disabled: false }))),
      ).toBe('OK');
    });

    it('still ends the sessions of a disabled user at once', async () => {
      const session = sessionOf(
        await h.auth.register({ email: uniqueEmail(), password: PASSWORD, displayName: '', clientAddress: '' }),
      );
      const id = session.user?.id ?? '';
      await asAdmin(() => h.admin.updateUser({ userId: id, disabled: true }));
      expect(await codeOf(h.auth.verifyAccessToken({ accessToken: session.accessToken }))).not.toBe('OK');
      expect(await h.redis.get(`${h.config.AUTH_REDIS_PREFIX}revoked:user:${id}`)).toBe('1');
    });
  });

  describe('ListAudit', () => {
    it("returns this service's entries newest first, in pages", async () => {
      const user = await register();
      for (const group of ['vip', 'normal', 'vip']) {
        await asAdmin(() => h.admin.updateUser({ userId: user.id, group }), `audit-${group}`);
      }
      const first = await asAdmin(() => h.admin.listAudit({ page: page(2) }));
      expect(first.items).toHaveLength(2);
      expect(first.items[0]).toMatchObject({ actorId: adminId, action: 'user.update', target: `user:${user.id}` });
      expect(JSON.parse(first.items[0]!.afterJson)).toEqual({ group: 'vip', disabled: false });
      expect(JSON.parse(first.items[1]!.afterJson)).toEqual({ group: 'normal', disabled: false });
      expect(first.items[0]!.requestId).toBe('audit-vip');
      expect(first.nextCursor).not.toBe('');

      const second = await asAdmin(() => h.admin.listAudit({ page: page(1, first.nextCursor) }));
      expect(JSON.parse(second.items[0]!.afterJson)).toEqual({ group: 'vip', disabled: false });
      expect(JSON.parse(second.items[0]!.beforeJson)).toEqual({ group: 'normal', disabled: false });

      const newestFirst = (
        (await h.db.query('SELECT id FROM audit_log ORDER BY at DESC, id DESC')) as Array<{ id: string }>
      ).map((row) => row.id);
      const everything: string[] = [];
      let cursor = '';
      do {
        const response = await asAdmin(() => h.admin.listAudit({ page: page(3, cursor) }));
        everything.push(...response.items.map((item) => item.id));
        cursor = response.nextCursor;
      } while (cursor !== '');
      expect(everything).toEqual(newestFirst);

      expect(await detailsOf(asAdmin(() => h.admin.listAudit({ page: page(1, 'garbage!') })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'cursor',
      });
    });
  });

  describe('GetUserStats', () => {
    const registeredCount = async () =>
      Number(
        (
          (await h.db.query('SELECT COUNT(*) AS n FROM users WHERE email IS NOT NULL')) as Array<{ n: number | string }>
        )[0]?.n,
      );
    const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

    it('gives 30 days by default, oldest first and today (UTC) last; 1 to 90 on request', async () => {
      // Noon of today on the service's clock, so no midnight passes during the test.
      const noon = Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS / 2;
      h.clock.offsetMs = noon - Date.now();
      const stats = await asAdmin(() => h.admin.getUserStats({ days: 0 }));
      expect(stats.newUsers).toHaveLength(30);
      expect(stats.newUsers.at(-1)?.day).toBe(utcDay(noon));
      expect(stats.newUsers[0]?.day).toBe(utcDay(noon - 29 * DAY_MS));
      expect(stats.users).toBe(await registeredCount());
      expect((await asAdmin(() => h.admin.getUserStats({ days: 1 }))).newUsers).toHaveLength(1);
      expect((await asAdmin(() => h.admin.getUserStats({ days: 90 }))).newUsers).toHaveLength(90);
      for (const days of [-1, 91]) {
        expect(await detailsOf(asAdmin(() => h.admin.getUserStats({ days })))).toEqual({
          code: ErrorCode.VALIDATION_FAILED,
          field: 'days',
        });
      }
    });

    it('counts registrations per UTC day, zero on days without any, anonymous identities left out', async () => {
      // A stretch of days of its own, far ahead, where nothing else registered.
      const noonOf = (day: string) => Date.parse(`${day}T12:00:00.000Z`);
      const moveTo = (ms: number) => {
        h.clock.offsetMs = ms - Date.now();
      };
      const before = await registeredCount();
      moveTo(noonOf('2100-01-07'));
      await register();
      moveTo(Date.parse('2100-01-09T23:59:59.000Z'));
      await register();
      moveTo(Date.parse('2100-01-10T00:00:00.000Z'));
      await register();
      const disabled = await register();
      await asAdmin(() => h.admin.updateUser({ userId: disabled.id, disabled: true }));
      await h.auth.createAnonymousUser({ fingerprint: '' });

      moveTo(noonOf('2100-01-10'));
      const stats = await asAdmin(() => h.admin.getUserStats({ days: 5 }));
      expect(stats.newUsers).toEqual([
        { day: '2100-01-06', count: 0, bytes: 0 },
        { day: '2100-01-07', count: 1, bytes: 0 },
        { day: '2100-01-08', count: 0, bytes: 0 },
        { day: '2100-01-09', count: 1, bytes: 0 },
        { day: '2100-01-10', count: 2, bytes: 0 },
      ]);
      expect(stats.users).toBe(before + 4);

      // Seen from the day before, the later registrations are not counted yet.
      moveTo(noonOf('2100-01-09'));
      expect((await asAdmin(() => h.admin.getUserStats({ days: 2 }))).newUsers).toEqual([
        { day: '2100-01-08', count: 0, bytes: 0 },
        { day: '2100-01-09', count: 1, bytes: 0 },
      ]);
    });
  });
});

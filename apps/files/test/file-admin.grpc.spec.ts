import { createHash, randomUUID } from 'node:crypto';
import { commonV1, filesV1, fromTimestamp } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import { serviceCaller } from '@lexy/server-grpc';
import { PURGE_FILES_JOB, purgeFileJobId } from '@lexy/server-queue';
import { FILE_CHANGES_CHANNEL, FILE_REMOVED_CHANNEL } from '@lexy/server-redis';
import { Redis } from 'ioredis';
import type { RowDataPacket } from 'mysql2/promise';
import { FakeQuotas } from './support/fake-quotas.js';
import { FakeUsers } from './support/fake-users.js';
import { domainErrorOf, newCaller, purgeNow, uploadFile } from './support/files-scenario.js';
import { startFilesTestEnv, type AdminClient, type FilesTestEnv } from './support/files-test-env.js';

const { SORT_ORDER_UNSPECIFIED, SORT_ORDER_ASC, SORT_ORDER_DESC } = commonV1.SortOrder;
const { FILE_STATUS_ACTIVE: ACTIVE, FILE_STATUS_EXPIRED: EXPIRED } = filesV1.FileStatus;
const HOUR_MS = 3_600_000;
const REDEMPTION_MS = 7 * 24 * HOUR_MS;

const sha256Of = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

function listRequest(overrides: Partial<filesV1.AdminListFilesRequest> = {}): filesV1.AdminListFilesRequest {
  return { ownerId: '', status: 0, query: '', sort: '', order: SORT_ORDER_UNSPECIFIED, page: undefined, ...overrides };
}

/** A caller without a token, as the gateway derives one from its address. */
function addressCaller(address: string): commonV1.Caller {
  return {
    ownerId: address,
    group: 'anonymous',
    kind: commonV1.IdentityKind.IDENTITY_KIND_ADDRESS,
    quotaAccountId: address,
  };
}

describe('FileAdminService over gRPC (MariaDB, Redis, fake quotas and users)', () => {
  let env: FilesTestEnv;
  let quotas: FakeQuotas;
  let users: FakeUsers;
  let admin: AdminClient;
  let subscriber: Redis;
  const adminCaller = newCaller('admin');
  const published: Array<[string, string]> = [];

  beforeAll(async () => {
    quotas = new FakeQuotas();
    users = new FakeUsers();
    env = await startFilesTestEnv({ quotas, users });
    admin = env.adminAs(adminCaller);
    subscriber = new Redis(env.config.REDIS_URL);
    subscriber.on('message', (channel: string, fileId: string) => published.push([channel, fileId]));
    await subscriber.subscribe(FILE_CHANGES_CHANNEL, FILE_REMOVED_CHANNEL);
  });

  afterAll(async () => {
    subscriber?.disconnect();
    await env?.close();
  });

  async function rows(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
    const [result] = await env.db.query<RowDataPacket[]>(sql, params);
    return result;
  }

  const fileRow = async (fileId: string) => (await rows('SELECT * FROM files WHERE id = ?', [fileId]))[0];

  /** Waits until `fileId` was published on `channel` (publishing is asynchronous). */
  async function publishedSoon(channel: string, fileId: string): Promise<boolean> {
    const seen = () => published.some(([c, id]) => c === channel && id === fileId);
    for (let i = 0; i < 100 && !seen(); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    return seen();
  }

  const resolves = (code: string) =>
    env.files.resolvePickupCode({ code }).then(
      (resolved) => resolved.fileId,
      () => null,
    );

  /** The file as the cleanup worker finds it an hour after its retention ended. */
  async function expire(fileId: string, purgeAtSql = 'UTC_TIMESTAMP(3) - INTERVAL 1 HOUR + INTERVAL 7 DAY') {
    await env.db.query(
      `UPDATE files SET status = 'expired', expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR, purge_at = ${purgeAtSql}
         WHERE id = ?`,
      [fileId],
    );
  }

  async function auditEntries(): Promise<commonV1.AuditEntry[]> {
    return (await admin.listAudit({ page: { limit: 100, cursor: '' } })).items;
  }

  /** Every page of a listing, fetched `limit` at a time. */
  async function allPages(request: filesV1.AdminListFilesRequest, limit: number) {
    const pages: filesV1.AdminFile[][] = [];
    let cursor = '';
    do {
      const page = await admin.adminListFiles({ ...request, page: { limit, cursor } });
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 100);
    return pages;
  }

  describe('who may call it', () => {
    // Each call, and what an administrator gets from it here (an unknown file is NOT_FOUND).
    const calls: Array<[string, (client: AdminClient) => Promise<unknown>, string]> = [
      ['adminListFiles', (client) => client.adminListFiles(listRequest()), 'answered'],
      [
        'adminDeleteFile',
        (client) => client.adminDeleteFile({ fileId: randomUUID(), block: false, reason: '' }),
        ErrorCode.NOT_FOUND,
      ],
      ['adminRestoreFile', (client) => client.adminRestoreFile({ fileId: randomUUID() }), ErrorCode.NOT_FOUND],
      ['getFileStats', (client) => client.getFileStats({ days: 0 }), 'answered'],
      ['listAudit', (client) => client.listAudit({ page: undefined }), 'answered'],
    ];

    it('is ADMIN_REQUIRED for anyone but a user of group admin, and UNAUTHENTICATED without a caller', async () => {
      const refused = [
        newCaller('normal'),
        newCaller('vip'),
        // Group admin, but not a user holding a token.
        { ...addressCaller('ip:203.0.113.9'), group: 'admin' },
        serviceCaller('cleanup'),
      ];
      for (const [name, call, adminOutcome] of calls) {
        for (const caller of refused) {
          const error = await domainErrorOf(call(env.adminAs(caller)));
          expect([name, caller.ownerId, error.code]).toEqual([name, caller.ownerId, ErrorCode.ADMIN_REQUIRED]);
        }
        expect([name, (await domainErrorOf(call(env.admin))).code]).toEqual([name, ErrorCode.UNAUTHENTICATED]);
        const outcome = await call(admin).then(
          () => 'answered',
          (error: { code?: string }) => error.code,
        );
        expect([name, outcome]).toEqual([name, adminOutcome]);
      }
    });

    it('changes nothing when it refuses', async () => {
      const owner = newCaller();
      const { file } = await uploadFile(env, owner);
      await expire(file.id);
      const entries = (await auditEntries()).length;
      const intruder = env.adminAs(newCaller('vip'));
      await domainErrorOf(intruder.adminDeleteFile({ fileId: file.id, block: true, reason: 'mine now' }));
      await domainErrorOf(intruder.adminRestoreFile({ fileId: file.id }));
      expect((await fileRow(file.id))?.['status']).toBe('expired');
      expect(await rows('SELECT * FROM blocked_content WHERE sha256 = ?', [file.sha256])).toEqual([]);
      expect(await auditEntries()).toHaveLength(entries);
    });
  });

  describe('AdminListFiles', () => {
    // One owner's files with ties in every sort key, case differences in names and never-expiring ones.
    const owner = newCaller();
    const seeded: Array<{ name: string; size: number; createdAt: string; expiresAt: string | null }> = [
      { name: 'alpha.txt', size: 30, createdAt: '2026-11-01 10:00:00.000', expiresAt: '2026-12-01 10:00:00.000' },
      { name: 'Bravo.txt', size: 10, createdAt: '2026-11-01 10:00:00.000', expiresAt: null },
      { name: 'charlie.txt', size: 30, createdAt: '2026-11-02 10:00:00.000', expiresAt: '2026-12-01 10:00:00.000' },
      { name: 'Delta.txt', size: 20, createdAt: '2026-11-03 10:00:00.000', expiresAt: null },
      { name: 'echo.txt', size: 10, createdAt: '2026-11-03 10:00:00.000', expiresAt: '2026-12-05 10:00:00.000' },
      { name: 'Echo.txt', size: 50, createdAt: '2026-11-04 10:00:00.000', expiresAt: '2030-01-01 00:00:00.000' },
      { name: 'foxtrot.txt', size: 20, createdAt: '2026-11-04 10:00:00.000', expiresAt: null },
    ];
    const files: Array<filesV1.File & { expiresAtMs: number | null; createdAtMs: number }> = [];

    beforeAll(async () => {
      for (const seed of seeded) {
        const { file } = await uploadFile(env, owner, { name: seed.name, content: 'x'.repeat(seed.size) });
        // Far-future expiries keep them active; the times are what the sorts are about.
        await env.db.query('UPDATE files SET created_at = ?, expires_at = ?, purge_at = NULL WHERE id = ?', [
          seed.createdAt,
          seed.expiresAt === null ? null : seed.expiresAt.replace('2026-12', '2099-12'),
          file.id,
        ]);
        const row = await fileRow(file.id);
        files.push({
          ...file,
          createdAtMs: (row?.['created_at'] as Date).getTime(),
          expiresAtMs: row?.['expires_at'] ? (row['expires_at'] as Date).getTime() : null,
        });
      }
    });

    type Seeded = (typeof files)[number];
    const compareIds = (a: Seeded, b: Seeded) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const ascending: Record<string, (a: Seeded, b: Seeded) => number> = {
      createdAt: (a, b) => a.createdAtMs - b.createdAtMs || compareIds(a, b),
      size: (a, b) => a.sizeBytes - b.sizeBytes || compareIds(a, b),
      // Case-insensitive (the names are ASCII letters): "Echo.txt" and "echo.txt" tie, the id decides.
      name: (a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || compareIds(a, b),
      // Never expiring sorts as the latest expiry.
      expiresAt: (a, b) =>
        (a.expiresAtMs ?? Number.POSITIVE_INFINITY) - (b.expiresAtMs ?? Number.POSITIVE_INFINITY) || compareIds(a, b),
    };
    const expectedOrder = (sort: string, direction: 'asc' | 'desc') => {
      const order = [...files].sort(ascending[sort]).map((file) => file.id);
      return direction === 'asc' ? order : order.reverse();
    };

    it.each([
      ['createdAt', SORT_ORDER_ASC, 'asc'],
      ['createdAt', SORT_ORDER_DESC, 'desc'],
      ['size', SORT_ORDER_ASC, 'asc'],
      ['size', SORT_ORDER_DESC, 'desc'],
      ['name', SORT_ORDER_ASC, 'asc'],
      ['name', SORT_ORDER_DESC, 'desc'],
      ['expiresAt', SORT_ORDER_ASC, 'asc'],
      ['expiresAt', SORT_ORDER_DESC, 'desc'],
    ] as const)('sorts by %s (order %d), and paging yields every file once in that order', async (sort, order, dir) => {
      const request = listRequest({ ownerId: owner.ownerId, sort, order });
      const whole = await admin.adminListFiles({ ...request, page: { limit: 100, cursor: '' } });
      expect(whole.items.map((item) => item.id)).toEqual(expectedOrder(sort, dir));
      expect(whole.nextCursor).toBe('');

      for (const limit of [1, 2, 3]) {
        const pages = await allPages(request, limit);
        expect(pages).toHaveLength(Math.ceil(files.length / limit));
        expect(pages.flat().map((item) => item.id)).toEqual(expectedOrder(sort, dir));
      }
    });

    it('defaults to newest first, and to A to Z for names', async () => {
      const ids = async (sort: string) =>
        (await admin.adminListFiles(listRequest({ ownerId: owner.ownerId, sort }))).items.map((item) => item.id);
      expect(await ids('')).toEqual(expectedOrder('createdAt', 'desc'));
      expect(await ids('createdAt')).toEqual(expectedOrder('createdAt', 'desc'));
      expect(await ids('size')).toEqual(expectedOrder('size', 'desc'));
      expect(await ids('expiresAt')).toEqual(expectedOrder('expiresAt', 'desc'));
      expect(await ids('name')).toEqual(expectedOrder('name', 'asc'));
    });

    it('shows owner, state and periods, and no pickup code, share link or PIN', async () => {
      const { items } = await admin.adminListFiles(listRequest({ ownerId: owner.ownerId, sort: 'name' }));
      const alpha = files.find((file) => file.name === 'alpha.txt')!;
      expect(items[0]).toEqual({
        id: alpha.id,
        ownerId: owner.ownerId,
        name: 'alpha.txt',
        sizeBytes: 30,
        mimeType: 'text/plain',
        sha256: sha256Of('x'.repeat(30)),
        status: ACTIVE,
        createdAt: expect.anything(),
        expiresAt: expect.anything(),
        // Absent: it never expires for good (a message field the wire leaves out decodes as null).
        purgeAt: null,
        downloads: 0,
        pinProtected: false,
      });
      expect(fromTimestamp(items[0]!.createdAt)?.toISOString()).toBe('2026-11-01T10:00:00.000Z');
      const serialized = JSON.stringify(items);
      for (const file of files) {
        expect(serialized).not.toContain(file.code);
        expect(serialized).not.toContain(file.linkToken!);
      }
    });

    it('refuses a cursor of another sort or order, and one it never gave out', async () => {
      const { nextCursor } = await admin.adminListFiles(
        listRequest({ ownerId: owner.ownerId, sort: 'size', order: SORT_ORDER_ASC, page: { limit: 1, cursor: '' } }),
      );
      expect(nextCursor).not.toBe('');
      for (const request of [
        listRequest({ sort: 'size', order: SORT_ORDER_DESC, page: { limit: 1, cursor: nextCursor } }),
        listRequest({ sort: 'name', order: SORT_ORDER_ASC, page: { limit: 1, cursor: nextCursor } }),
        listRequest({ page: { limit: 1, cursor: nextCursor } }),
        listRequest({ page: { limit: 1, cursor: 'garbage' } }),
        listRequest({ page: { limit: 1, cursor: Buffer.from("' OR 1=1 --").toString('base64url') } }),
      ]) {
        const error = await domainErrorOf(admin.adminListFiles(request));
        expect([error.code, error.details['field']]).toEqual([ErrorCode.VALIDATION_FAILED, 'cursor']);
      }
    });

    it('filters by exact owner key and by state as owners see it; files being deleted are never listed', async () => {
      const address = addressCaller('ip:198.51.100.7');
      const active = (await uploadFile(env, address)).file;
      const expired = (await uploadFile(env, address)).file;
      await expire(expired.id);
      // Still an active row, but its retention ended: expired to its owner, before ExpireDue rewrites it.
      const lapsed = (await uploadFile(env, address)).file;
      await env.db.query('UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [
        lapsed.id,
      ]);
      const deleted = (await uploadFile(env, address)).file;
      await env.as(address).deleteFile({ fileId: deleted.id });
      // Another owner whose key only starts the same, and one differing in case.
      await uploadFile(env, addressCaller(`${address.ownerId}0`));
      await uploadFile(env, { ...newCaller(), ownerId: address.ownerId.toUpperCase() });

      const list = async (status: filesV1.FileStatus) => {
        const { items } = await admin.adminListFiles(listRequest({ ownerId: address.ownerId, status, sort: 'name' }));
        return items.map((item) => [item.id, item.status]).sort();
      };
      expect(await list(filesV1.FileStatus.FILE_STATUS_UNSPECIFIED)).toEqual(
        [
          [active.id, ACTIVE],
          [expired.id, EXPIRED],
          [lapsed.id, EXPIRED],
        ].sort(),
      );
      expect(await list(ACTIVE)).toEqual([[active.id, ACTIVE]]);
      expect(await list(EXPIRED)).toEqual(
        [
          [expired.id, EXPIRED],
          [lapsed.id, EXPIRED],
        ].sort(),
      );
      const everyone = (await allPages(listRequest(), 100)).flat().map((item) => item.id);
      expect(everyone).toEqual(expect.arrayContaining([active.id, expired.id, lapsed.id]));
      expect(everyone).not.toContain(deleted.id);

      const error = await domainErrorOf(admin.adminListFiles(listRequest({ status: 99 as filesV1.FileStatus })));
      expect([error.code, error.details['field']]).toEqual([ErrorCode.VALIDATION_FAILED, 'status']);
    });
  });

  describe('AdminListFiles searches (AZ-05)', () => {
    const owner = newCaller();
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      for (const name of [
        '100% done.txt',
        '100x done.txt',
        'a_b.txt',
        'axb.txt',
        "it's ' OR 1=1 --.txt",
        'REPORT.pdf',
      ]) {
        ids[name] = (await uploadFile(env, owner, { name })).file.id;
      }
      // Uploads turn a backslash into "_"; a row may still hold one (and a search for it must match it alone).
      ids['back\\slash.txt'] = (await uploadFile(env, owner, { name: 'backslash-to-be.txt' })).file.id;
      await env.db.query('UPDATE files SET name = ? WHERE id = ?', ['back\\slash.txt', ids['back\\slash.txt']]);
    });

    const search = async (query: string) => {
      const { items } = await admin.adminListFiles(listRequest({ ownerId: owner.ownerId, query, sort: 'name' }));
      return items.map((item) => item.name);
    };

    it('matches %, _ and \\ literally, and quotes as text, never as SQL', async () => {
      expect(await search('%')).toEqual(['100% done.txt']);
      expect(await search('_')).toEqual(['a_b.txt']);
      expect(await search('\\')).toEqual(['back\\slash.txt']);
      expect(await search('%%')).toEqual([]);
      expect(await search("' OR 1=1 --")).toEqual(["it's ' OR 1=1 --.txt"]);
      expect(await search("x' OR '1'='1")).toEqual([]);
      expect(await search('.*')).toEqual([]);
      expect(await search('[a-z]')).toEqual([]);
      // The table is still there, and whole.
      expect((await search('')).length).toBe(7);
    });

    it('is a case-insensitive substring match', async () => {
      expect(await search('report')).toEqual(['REPORT.pdf']);
      expect(await search('DONE')).toEqual(['100% done.txt', '100x done.txt']);
      expect(await search('X DONE')).toEqual(['100x done.txt']);
      expect(await search('.PDF')).toEqual(['REPORT.pdf']);
    });

    it('refuses a search over 255 characters (10,000 % signs), and does not repeat it in the error', async () => {
      expect(await search('%'.repeat(255))).toEqual([]);
      for (const query of ['%'.repeat(10_000), `<script>alert(1)</script>${'a'.repeat(255)}`]) {
        const error = await domainErrorOf(admin.adminListFiles(listRequest({ query })));
        expect([error.code, error.details['field']]).toEqual([ErrorCode.VALIDATION_FAILED, 'query']);
        expect(error.message).not.toContain('%%');
        expect(error.message).not.toContain('<script>');
      }
    });

    it('refuses a sort outside the allow-list (sort=password)', async () => {
      for (const sort of ['password', 'pin_hash', 'code_hmac', 'created_at', 'name DESC', 'name; DROP TABLE files']) {
        const error = await domainErrorOf(admin.adminListFiles(listRequest({ sort })));
        expect([sort, error.code, error.details['field']]).toEqual([sort, ErrorCode.VALIDATION_FAILED, 'sort']);
        expect(error.message).not.toContain(sort);
      }
      const error = await domainErrorOf(admin.adminListFiles(listRequest({ order: 5 as commonV1.SortOrder })));
      expect([error.code, error.details['field']]).toEqual([ErrorCode.VALIDATION_FAILED, 'order']);
    });

    it('caps the limit at 100 (limit=1000000)', async () => {
      const many = newCaller();
      // Rows arranged directly: only their number matters here.
      const values = Array.from({ length: 101 }, () => {
        const id = randomUUID();
        return [
          id,
          randomUUID(),
          many.ownerId,
          randomUUID(),
          `bulk-${id}.txt`,
          'text/plain',
          1,
          'ab'.repeat(32),
          `files/${id}`,
        ];
      });
      await env.db.query(
        `INSERT INTO files (id, upload_id, owner_id, reservation_id, name, mime_type, size_bytes, sha256, object_key,
           status, created_at) VALUES ${values.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', UTC_TIMESTAMP(3))").join(', ')}`,
        values.flat(),
      );
      const request = listRequest({ ownerId: many.ownerId, page: { limit: 1_000_000, cursor: '' } });
      const page = await admin.adminListFiles(request);
      expect(page.items).toHaveLength(100);
      expect(page.nextCursor).not.toBe('');
      const next = await admin.adminListFiles({ ...request, page: { limit: 1_000_000, cursor: page.nextCursor } });
      expect(next.items).toHaveLength(1);
      expect(next.nextCursor).toBe('');
      const error = await domainErrorOf(admin.adminListFiles({ ...request, page: { limit: -5, cursor: '' } }));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    });
  });

  describe('AdminDeleteFile', () => {
    it('deletes any owner’s file as the owner would: 404 to the owner, the code stops resolving, downloads are cut, the purge is queued, the deletion audited', async () => {
      const owner = newCaller();
      const { file } = await uploadFile(env, owner, { name: 'contract.pdf' });
      const kept = (await uploadFile(env, owner)).file;
      expect(await resolves(file.code)).toBe(file.id);

      const { file: removed } = await admin.adminDeleteFile({ fileId: file.id, block: false, reason: 'reported' });
      expect(removed).toEqual(
        expect.objectContaining({ id: file.id, ownerId: owner.ownerId, name: 'contract.pdf', status: ACTIVE }),
      );

      expect(await fileRow(file.id)).toEqual(expect.objectContaining({ status: 'purging', purge_claimed_at: null }));
      expect((await domainErrorOf(env.as(owner).getFile({ fileId: file.id }))).code).toBe(ErrorCode.NOT_FOUND);
      expect((await env.as(owner).listFiles({ page: undefined })).items.map((item) => item.id)).toEqual([kept.id]);
      expect(await resolves(file.code)).toBeNull();
      expect(await publishedSoon(FILE_REMOVED_CHANNEL, file.id)).toBe(true);
      expect(await publishedSoon(FILE_CHANGES_CHANNEL, file.id)).toBe(true);
      const job = await env.cleanupQueue.getJob(purgeFileJobId(file.id));
      expect([job?.name, job?.data]).toEqual([PURGE_FILES_JOB, { fileIds: [file.id] }]);

      const [entry] = await auditEntries();
      expect(entry).toEqual(
        expect.objectContaining({
          actorId: adminCaller.ownerId,
          action: 'file.delete',
          target: `file:${file.id}`,
          afterJson: '{}',
          requestId: 'files-test',
        }),
      );
      expect(JSON.parse(entry!.beforeJson)).toEqual({
        name: 'contract.pdf',
        ownerId: owner.ownerId,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        status: 'active',
      });
      expect(JSON.parse(entry!.detailsJson)).toEqual({ block: false, reason: 'reported' });
      // The owner's storage is the purge's to give back.
      expect(quotas.callsOf('releaseFileStorage')).toEqual([]);
      expect(await rows('SELECT * FROM blocked_content WHERE sha256 = ?', [file.sha256])).toEqual([]);
    });

    it('answers NOT_FOUND for a file being deleted, an unknown or a malformed id, writing nothing', async () => {
      const { file } = await uploadFile(env, newCaller());
      await admin.adminDeleteFile({ fileId: file.id, block: false, reason: '' });
      const entries = (await auditEntries()).length;
      for (const fileId of [file.id, randomUUID(), "x' OR 1=1 --"]) {
        expect((await domainErrorOf(admin.adminDeleteFile({ fileId, block: true, reason: '' }))).code).toBe(
          ErrorCode.NOT_FOUND,
        );
      }
      expect(await auditEntries()).toHaveLength(entries);
      expect(await rows('SELECT * FROM blocked_content WHERE sha256 = ?', [file.sha256])).toEqual([]);
    });

    it('takes a reason of 500 characters, not more', async () => {
      const { file } = await uploadFile(env, newCaller());
      const error = await domainErrorOf(
        admin.adminDeleteFile({ fileId: file.id, block: false, reason: 'r'.repeat(501) }),
      );
      expect([error.code, error.details['field']]).toEqual([ErrorCode.VALIDATION_FAILED, 'reason']);
      expect((await fileRow(file.id))?.['status']).toBe('active');
      await admin.adminDeleteFile({ fileId: file.id, block: false, reason: 'é'.repeat(500) });
      expect(JSON.parse((await auditEntries())[0]!.detailsJson).reason).toBe('é'.repeat(500));
    });

    it('deletes an expired file too, its audit saying so', async () => {
      const { file } = await uploadFile(env, newCaller());
      await expire(file.id);
      const { file: removed } = await admin.adminDeleteFile({ fileId: file.id, block: false, reason: '' });
      expect(removed?.status).toBe(EXPIRED);
      expect(JSON.parse((await auditEntries())[0]!.beforeJson).status).toBe('expired');
    });

    it('announces an owner’s own deletion on the removal channel too', async () => {
      const owner = newCaller();
      const { file } = await uploadFile(env, owner);
      await env.as(owner).deleteFile({ fileId: file.id });
      expect(await publishedSoon(FILE_REMOVED_CHANNEL, file.id)).toBe(true);
    });

    it('keeps CR, LF and ANSI escapes of a name intact in the audit entry, JSON-encoded', async () => {
      // Uploads drop control characters from names...
      const { file } = await uploadFile(env, newCaller(), { name: 'evil\r\n\u001b[31mred.txt' });
      expect(file.name).toBe('evil[31mred.txt');
      // ...but a row may still hold them (written before names were cleaned, or by hand).
      const raw = 'evil\r\n2026-12-01 INFO admin logged in\u001b[31m\u001b]0;pwned\u0007.txt';
      await env.db.query('UPDATE files SET name = ? WHERE id = ?', [raw, file.id]);
      const { file: removed } = await admin.adminDeleteFile({ fileId: file.id, block: false, reason: 'line\nbreak' });
      expect(removed?.name).toBe(raw);

      const [entry] = await auditEntries();
      expect(entry?.target).toBe(`file:${file.id}`);
      for (const json of [entry!.beforeJson, entry!.detailsJson]) {
        expect(json).not.toMatch(/[\r\n\u001b\u0007]/);
      }
      expect(entry!.beforeJson).toContain('evil\\r\\n2026-12-01 INFO admin logged in\\u001b[31m');
      expect(JSON.parse(entry!.beforeJson).name).toBe(raw);
      expect(JSON.parse(entry!.detailsJson).reason).toBe('line\nbreak');
    });

    it('keeps the audit log append-only in this database', async () => {
      await expect(env.db.query("UPDATE audit_log SET action = 'nothing'")).rejects.toThrow(/append-only/);
      await expect(env.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });
  });

  describe('takedown: AdminDeleteFile with block', () => {
    it('blocks the bytes: committing them again is UPLOAD_BLOCKED and leaves no file, upload or reservation', async () => {
      const content = `forbidden ${randomUUID()}`;
      const { file } = await uploadFile(env, newCaller(), { content });
      const copy = (await uploadFile(env, newCaller(), { content })).file;

      await admin.adminDeleteFile({ fileId: file.id, block: true, reason: 'DMCA #42' });
      const blocked = await rows('SELECT * FROM blocked_content WHERE sha256 = ?', [file.sha256]);
      expect(blocked).toEqual([
        expect.objectContaining({ sha256: file.sha256, file_id: file.id, actor_id: adminCaller.ownerId }),
      ]);
      expect(JSON.parse((await auditEntries())[0]!.detailsJson)).toEqual({ block: true, reason: 'DMCA #42' });
      // Blocking the same bytes again (an earlier copy) keeps the first entry.
      await admin.adminDeleteFile({ fileId: copy.id, block: true, reason: '' });
      expect(await rows('SELECT file_id FROM blocked_content WHERE sha256 = ?', [file.sha256])).toEqual([
        expect.objectContaining({ file_id: file.id }),
      ]);

      const uploader = newCaller();
      const client = env.as(uploader);
      const begin = await client.beginUpload({ name: 'again.txt', mimeType: 'text/plain', declaredSizeBytes: 100 });
      const today = async () => (await rows('SELECT * FROM upload_days WHERE day = UTC_DATE()'))[0];
      const ledgerBefore = await today();
      const error = await domainErrorOf(
        client.commitUpload({ uploadId: begin.uploadId, sizeBytes: Buffer.byteLength(content), sha256: file.sha256 }),
      );
      expect([error.code, error.httpStatus]).toEqual([ErrorCode.UPLOAD_BLOCKED, 403]);

      expect(await rows('SELECT * FROM files WHERE upload_id = ?', [begin.uploadId])).toEqual([]);
      expect(await rows('SELECT * FROM uploads WHERE id = ?', [begin.uploadId])).toEqual([]);
      const reservations = [...quotas.reservations.values()].filter((r) => r.ownerId === uploader.ownerId);
      expect(reservations.map((r) => r.state)).toEqual(['released']);
      expect(await today()).toEqual(ledgerBefore);
      // A retried commit finds nothing to commit; the gateway's clean-up abort is a no-op.
      expect(
        (await domainErrorOf(client.commitUpload({ uploadId: begin.uploadId, sizeBytes: 1, sha256: file.sha256 })))
          .code,
      ).toBe(ErrorCode.NOT_FOUND);
      await expect(client.abortUpload({ uploadId: begin.uploadId })).resolves.toEqual({});

      // Other bytes still go through.
      expect((await uploadFile(env, uploader, { content: `${content}!` })).file.status).toBe(ACTIVE);
    });

    it('leaves the bytes unblocked without block', async () => {
      const content = `fine ${randomUUID()}`;
      const { file } = await uploadFile(env, newCaller(), { content });
      await admin.adminDeleteFile({ fileId: file.id, block: false, reason: '' });
      expect((await uploadFile(env, newCaller(), { content })).file.sha256).toBe(file.sha256);
    });
  });

  describe('AdminRestoreFile', () => {
    it('restores any owner’s expired file with the retention of the owner’s current group, audited', async () => {
      const owner = newCaller('normal');
      users.groups.set(owner.ownerId, 'vip');
      const { file } = await uploadFile(env, owner);
      await expire(file.id);
      expect(await resolves(file.code)).toBeNull();
      const before = await fileRow(file.id);
      const groupCalls = quotas.callsOf('getGroupLimits').length;

      const { file: restored } = await admin.adminRestoreFile({ fileId: file.id });
      expect(restored).toEqual(expect.objectContaining({ id: file.id, ownerId: owner.ownerId, status: ACTIVE }));
      // The owner's group from the auth service, asked on the administrator's behalf.
      expect(users.calls.at(-1)).toEqual({ userIds: [owner.ownerId], callerId: adminCaller.ownerId });
      expect(quotas.callsOf('getGroupLimits').slice(groupCalls)).toEqual([{ group: 'vip' }]);
      const expiresAt = fromTimestamp(restored!.expiresAt)!.getTime();
      expect(expiresAt).toBeGreaterThan(Date.now() + 5 * HOUR_MS);
      expect(fromTimestamp(restored!.purgeAt)!.getTime()).toBe(expiresAt + REDEMPTION_MS);
      expect(await resolves(file.code)).toBe(file.id);
      expect(await publishedSoon(FILE_CHANGES_CHANNEL, file.id)).toBe(true);

      const [entry] = await auditEntries();
      expect(entry).toEqual(
        expect.objectContaining({ actorId: adminCaller.ownerId, action: 'file.restore', target: `file:${file.id}` }),
      );
      expect(JSON.parse(entry!.beforeJson)).toEqual({
        status: 'expired',
        expiresAt: (before?.['expires_at'] as Date).toISOString(),
        purgeAt: (before?.['purge_at'] as Date).toISOString(),
      });
      expect(JSON.parse(entry!.afterJson)).toEqual({
        status: 'active',
        expiresAt: new Date(expiresAt).toISOString(),
        purgeAt: new Date(expiresAt + REDEMPTION_MS).toISOString(),
      });
    });

    it('gives an owner without an account the anonymous group, without asking the auth service', async () => {
      const address = addressCaller('ip:192.0.2.44');
      const { file } = await uploadFile(env, address);
      await expire(file.id);
      const userCalls = users.calls.length;
      await admin.adminRestoreFile({ fileId: file.id });
      expect(quotas.callsOf('getGroupLimits').at(-1)).toEqual({ group: 'anonymous' });
      expect(users.calls).toHaveLength(userCalls);
    });

    it('answers an active file unchanged, FILE_EXPIRED past the window or once deleted, NOT_FOUND for none; auditing none of them', async () => {
      const owner = newCaller();
      const active = (await uploadFile(env, owner)).file;
      const lapsed = (await uploadFile(env, owner)).file;
      await expire(lapsed.id, 'UTC_TIMESTAMP(3) - INTERVAL 1 SECOND');
      const deleted = (await uploadFile(env, owner)).file;
      await expire(deleted.id);
      await env.as(owner).deleteFile({ fileId: deleted.id });
      const entries = (await auditEntries()).length;

      expect((await admin.adminRestoreFile({ fileId: active.id })).file).toEqual(
        expect.objectContaining({ id: active.id, status: ACTIVE }),
      );
      for (const fileId of [lapsed.id, deleted.id]) {
        const error = await domainErrorOf(admin.adminRestoreFile({ fileId }));
        expect(error.code).toBe(ErrorCode.FILE_EXPIRED);
        expect(error.details['purgeAt']).toEqual(expect.any(String));
      }
      for (const fileId of [randomUUID(), 'nope']) {
        expect((await domainErrorOf(admin.adminRestoreFile({ fileId }))).code).toBe(ErrorCode.NOT_FOUND);
      }
      expect(await auditEntries()).toHaveLength(entries);
      expect((await fileRow(lapsed.id))?.['status']).toBe('expired');
    });
  });

  describe('GetFileStats', () => {
    const dbToday = async () =>
      (await rows("SELECT DATE_FORMAT(UTC_DATE(), '%Y-%m-%d') AS today"))[0]?.['today'] as string;
    const daysBefore = (day: string, n: number) =>
      new Date(Date.parse(`${day}T00:00:00Z`) - n * 24 * HOUR_MS).toISOString().slice(0, 10);

    it('gives 30 UTC days by default, 1 to 90 on request, oldest first and today last', async () => {
      const today = await dbToday();
      const standard = await admin.getFileStats({ days: 0 });
      expect(standard.uploads).toHaveLength(30);
      expect(standard.uploads.at(-1)?.day).toBe(today);
      expect(standard.uploads[0]?.day).toBe(daysBefore(today, 29));
      const days = standard.uploads.map((entry) => entry.day);
      expect(days).toEqual([...days].sort());
      expect(new Set(days).size).toBe(30);
      expect((await admin.getFileStats({ days: 1 })).uploads.map((entry) => entry.day)).toEqual([today]);
      expect((await admin.getFileStats({ days: 90 })).uploads).toHaveLength(90);
      for (const days of [-1, 91, 100_000]) {
        const error = await domainErrorOf(admin.getFileStats({ days }));
        expect([days, error.code, error.details['field']]).toEqual([days, ErrorCode.VALIDATION_FAILED, 'days']);
      }
    });

    it('fills the days without uploads with zeros', async () => {
      const today = await dbToday();
      await env.db.query('INSERT INTO upload_days (day, uploads, upload_bytes) VALUES (?, 3, 3000), (?, 1, 5)', [
        daysBefore(today, 3),
        daysBefore(today, 40),
      ]);
      const { uploads } = await admin.getFileStats({ days: 5 });
      expect(uploads.slice(0, 4)).toEqual([
        { day: daysBefore(today, 4), count: 0, bytes: 0 },
        { day: daysBefore(today, 3), count: 3, bytes: 3000 },
        { day: daysBefore(today, 2), count: 0, bytes: 0 },
        { day: daysBefore(today, 1), count: 0, bytes: 0 },
      ]);
      expect((await admin.getFileStats({ days: 41 })).uploads[0]).toEqual({
        day: daysBefore(today, 40),
        count: 1,
        bytes: 5,
      });
    });

    it('counts today’s commits in the ledger, and keeps counting them once the files are purged', async () => {
      const todayOf = async () => (await admin.getFileStats({ days: 1 })).uploads[0]!;
      const before = await todayOf();
      const owner = newCaller();
      const { file: first, begin } = await uploadFile(env, owner, { content: 'a'.repeat(1000) });
      await uploadFile(env, owner, { content: 'b'.repeat(234) });
      const afterCommits = await todayOf();
      expect(afterCommits).toEqual({ day: before.day, count: before.count + 2, bytes: before.bytes + 1234 });
      // A retried commit of the same upload answers the same file, counted once.
      const retried = await env
        .as(owner)
        .commitUpload({ uploadId: begin.uploadId, sizeBytes: 1000, sha256: first.sha256 });
      expect(retried.file?.id).toBe(first.id);
      expect(await todayOf()).toEqual(afterCommits);
      const totals = await admin.getFileStats({ days: 1 });

      await admin.adminDeleteFile({ fileId: first.id, block: false, reason: '' });
      expect(await purgeNow(env, first.id)).toBe(true);
      expect(await fileRow(first.id)).toBeUndefined();
      const afterPurge = await admin.getFileStats({ days: 1 });
      expect(afterPurge.uploads[0]).toEqual(afterCommits);
      expect([afterPurge.files, afterPurge.storageBytes]).toEqual([totals.files - 1, totals.storageBytes - 1000]);
    });

    it('counts the files stored now and their bytes: active and expired, not those being deleted', async () => {
      const owner = newCaller();
      const expired = (await uploadFile(env, owner, { content: 'e'.repeat(10) })).file;
      await expire(expired.id);
      const deleting = (await uploadFile(env, owner, { content: 'd'.repeat(20) })).file;
      await env.as(owner).deleteFile({ fileId: deleting.id });
      const [expected] = await rows(
        "SELECT COUNT(*) AS files, SUM(size_bytes) AS bytes FROM files WHERE status IN ('active', 'expired')",
      );
      const stats = await admin.getFileStats({ days: 1 });
      expect([stats.files, stats.storageBytes]).toEqual([Number(expected?.['files']), Number(expected?.['bytes'])]);
      expect(await rows("SELECT id FROM files WHERE id = ? AND status = 'purging'", [deleting.id])).toHaveLength(1);
    });
  });

  describe('ListAudit', () => {
    it('pages newest first at most 100 at a time, with a cursor in the shared format', async () => {
      const all = (await admin.listAudit({ page: { limit: 1_000_000, cursor: '' } })).items;
      expect(all.length).toBeGreaterThanOrEqual(3);
      expect(all.length).toBeLessThanOrEqual(100);
      const seen: string[] = [];
      let cursor = '';
      do {
        const page = await admin.listAudit({ page: { limit: 2, cursor } });
        seen.push(...page.items.map((entry) => entry.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((entry) => entry.id));
      const times = all.map((entry) => fromTimestamp(entry.at)!.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const error = await domainErrorOf(admin.listAudit({ page: { limit: 1, cursor: 'garbage' } }));
      expect([error.code, error.details['field']]).toEqual([ErrorCode.VALIDATION_FAILED, 'cursor']);
    });
  });
});

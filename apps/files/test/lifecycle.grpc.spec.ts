import { randomUUID } from 'node:crypto';
import { filesV1, fromTimestamp } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import { serviceCaller } from '@lexy/server-grpc';
import { PURGE_FILES_JOB, purgeFileJobId } from '@lexy/server-queue';
import { FILE_CHANGES_CHANNEL } from '@lexy/server-redis';
import { Redis } from 'ioredis';
import type { RowDataPacket } from 'mysql2/promise';
import { FakeQuotas } from './support/fake-quotas.js';
import { domainErrorOf, newCaller, purgeNow, uploadFile } from './support/files-scenario.js';
import { startFilesTestEnv, type FilesTestEnv } from './support/files-test-env.js';

const HOUR_MS = 3_600_000;
const REDEMPTION_MS = 7 * 24 * HOUR_MS;
const LEASE_SECONDS = 300;

describe('FileLifecycleService and the lifecycle of files over gRPC (MariaDB, Redis, fake quotas)', () => {
  let env: FilesTestEnv;
  let quotas: FakeQuotas;
  let subscriber: Redis;
  const announced: string[] = [];

  beforeAll(async () => {
    quotas = new FakeQuotas();
    env = await startFilesTestEnv({ quotas });
    subscriber = new Redis(env.config.REDIS_URL);
    subscriber.on('message', (_channel: string, fileId: string) => announced.push(fileId));
    await subscriber.subscribe(FILE_CHANGES_CHANNEL);
  });

  afterAll(async () => {
    subscriber?.disconnect();
    await env?.close();
  });

  async function row(sql: string, params: unknown[] = []): Promise<RowDataPacket | undefined> {
    const [rows] = await env.db.query<RowDataPacket[]>(sql, params);
    return rows[0];
  }

  const fileRow = (fileId: string) => row('SELECT * FROM files WHERE id = ?', [fileId]);
  const statusOf = async (fileId: string) => (await fileRow(fileId))?.['status'] as string | undefined;

  async function dbNow(): Promise<Date> {
    return (await row('SELECT UTC_TIMESTAMP(3) AS now'))?.['now'] as Date;
  }

  /** The file as the cleanup worker finds it `hoursAgo` after its retention ended (purge_at from then on). */
  async function expire(fileId: string, { hoursAgo = 1, purgeAtSql }: { hoursAgo?: number; purgeAtSql?: string } = {}) {
    await env.db.query(
      `UPDATE files SET status = 'expired', expires_at = UTC_TIMESTAMP(3) - INTERVAL ? HOUR,
         purge_at = ${purgeAtSql ?? 'UTC_TIMESTAMP(3) - INTERVAL ? HOUR + INTERVAL 7 DAY'} WHERE id = ?`,
      purgeAtSql ? [hoursAgo, fileId] : [hoursAgo, hoursAgo, fileId],
    );
  }

  /** Waits until the gateways were told about `fileId` (announcements are asynchronous). */
  async function announcedSoon(fileId: string): Promise<boolean> {
    for (let i = 0; i < 50 && !announced.includes(fileId); i += 1) await new Promise((r) => setTimeout(r, 20));
    return announced.includes(fileId);
  }

  const resolves = async (code: string) =>
    env.files.resolvePickupCode({ code }).then(
      (resolved) => resolved.fileId,
      () => null,
    );

  describe('expiry (LC-01: the database clock decides)', () => {
    it('keeps a file one second before its expiry, and expires it one second after', async () => {
      const caller = newCaller();
      const { file } = await uploadFile(env, caller);
      await env.db.query('UPDATE files SET expires_at = UTC_TIMESTAMP(3) + INTERVAL 1 SECOND WHERE id = ?', [file.id]);
      await env.lifecycle.expireDue({ limit: 1000 });
      expect(await statusOf(file.id)).toBe('active');
      expect(await resolves(file.code)).toBe(file.id);

      await env.db.query('UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [file.id]);
      // Pickups stop at once, before any worker rewrites the row.
      expect(await resolves(file.code)).toBeNull();
      const { expired } = await env.lifecycle.expireDue({ limit: 1000 });
      expect(expired).toBeGreaterThanOrEqual(1);
      expect(await statusOf(file.id)).toBe('expired');
      expect(await announcedSoon(file.id)).toBe(true);
      expect(await resolves(file.code)).toBeNull();
      expect((await domainErrorOf(env.files.claimDownload({ fileId: file.id }))).code).toBe(
        ErrorCode.PICKUP_CODE_NOT_FOUND,
      );
      // The owner still sees it, expired, and a second run finds nothing more to do with it.
      expect((await env.as(caller).getFile({ fileId: file.id })).file?.status).toBe(
        filesV1.FileStatus.FILE_STATUS_EXPIRED,
      );
      await env.lifecycle.expireDue({ limit: 1000 });
      expect(await statusOf(file.id)).toBe('expired');
    });

    it('expires at most `limit` files per call, oldest expiry first', async () => {
      const caller = newCaller();
      const files = [(await uploadFile(env, caller)).file, (await uploadFile(env, caller)).file];
      await env.lifecycle.expireDue({ limit: 1000 });
      await env.db.query('UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 2 SECOND WHERE id = ?', [
        files[1]!.id,
      ]);
      await env.db.query('UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [
        files[0]!.id,
      ]);
      expect(await env.lifecycle.expireDue({ limit: 1 })).toEqual({ expired: 1 });
      expect([await statusOf(files[0]!.id), await statusOf(files[1]!.id)]).toEqual(['active', 'expired']);
    });
  });

  describe('purge claims', () => {
    async function dueFiles(count: number): Promise<string[]> {
      const caller = newCaller();
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const { file } = await uploadFile(env, caller);
        await expire(file.id, { hoursAgo: 200 });
        ids.push(file.id);
      }
      return ids;
    }

    it('never hands the same file to two concurrent claims', async () => {
      const ids = await dueFiles(20);
      const claims = await Promise.all(
        Array.from({ length: 4 }, () =>
          env.lifecycle.claimPurge({ limit: 10, leaseSeconds: LEASE_SECONDS, fileIds: ids }),
        ),
      );
      const claimed = claims.flatMap((claim) => claim.files.map((file) => file.fileId));
      expect(new Set(claimed).size).toBe(claimed.length);
      expect([...claimed].sort()).toEqual([...ids].sort());
      for (const id of ids) expect(await statusOf(id)).toBe('purging');

      // Unfiltered claims too, whatever else is due in the database.
      const more = await dueFiles(6);
      const unfiltered = await Promise.all(
        Array.from({ length: 3 }, () =>
          env.lifecycle.claimPurge({ limit: 1000, leaseSeconds: LEASE_SECONDS, fileIds: [] }),
        ),
      );
      const taken = unfiltered.flatMap((claim) => claim.files.map((file) => file.fileId));
      expect(new Set(taken).size).toBe(taken.length);
      expect(taken).toEqual(expect.arrayContaining(more));
      expect(taken.some((id) => ids.includes(id))).toBe(false);
    });

    it('hands out each file with its object key, takes no file whose window is open, and takes stale claims over', async () => {
      const [due] = await dueFiles(1);
      const open = (await uploadFile(env, newCaller())).file;
      await expire(open.id, { hoursAgo: 1 });
      const fileIds = [due!, open.id];

      const first = await env.lifecycle.claimPurge({ limit: 10, leaseSeconds: 60, fileIds });
      expect(first.files).toEqual([{ fileId: due, objectKey: (await fileRow(due!))?.['object_key'] }]);
      expect(await statusOf(open.id)).toBe('expired');
      const claimedAt = (await fileRow(due!))?.['purge_claimed_at'] as Date;
      expect(claimedAt).toBeInstanceOf(Date);

      // A live claim is left alone; one older than the lease is the work of a dead worker.
      expect((await env.lifecycle.claimPurge({ limit: 10, leaseSeconds: 60, fileIds })).files).toEqual([]);
      await env.db.query('UPDATE files SET purge_claimed_at = UTC_TIMESTAMP(3) - INTERVAL 59 SECOND WHERE id = ?', [
        due,
      ]);
      expect((await env.lifecycle.claimPurge({ limit: 10, leaseSeconds: 60, fileIds })).files).toEqual([]);
      await env.db.query('UPDATE files SET purge_claimed_at = UTC_TIMESTAMP(3) - INTERVAL 61 SECOND WHERE id = ?', [
        due,
      ]);
      const again = await env.lifecycle.claimPurge({ limit: 10, leaseSeconds: 60, fileIds });
      expect(again.files.map((file) => file.fileId)).toEqual([due]);
      expect(((await fileRow(due!))?.['purge_claimed_at'] as Date).getTime()).toBeGreaterThan(claimedAt.getTime());

      expect(await env.lifecycle.finishPurge({ fileIds })).toEqual({ deleted: 1 });
      expect(await fileRow(due!)).toBeUndefined();
      // FinishPurge deletes only purging rows; a second one deletes nothing.
      expect(await statusOf(open.id)).toBe('expired');
      expect(await env.lifecycle.finishPurge({ fileIds })).toEqual({ deleted: 0 });
    });
  });

  describe('an owner’s deletion', () => {
    it('makes the file purging at once (owner and pickup 404) and queues one purge job for it', async () => {
      const caller = newCaller();
      const { file } = await uploadFile(env, caller);
      const kept = (await uploadFile(env, caller)).file;
      await env.as(caller).deleteFile({ fileId: file.id });

      expect(await fileRow(file.id)).toEqual(expect.objectContaining({ status: 'purging', purge_claimed_at: null }));
      expect(await announcedSoon(file.id)).toBe(true);
      expect(await resolves(file.code)).toBeNull();
      expect((await domainErrorOf(env.files.claimDownload({ fileId: file.id }))).code).toBe(
        ErrorCode.PICKUP_CODE_NOT_FOUND,
      );
      for (const call of [
        env.as(caller).getFile({ fileId: file.id }),
        env.as(caller).deleteFile({ fileId: file.id }),
        env.as(caller).reopenPin({ fileId: file.id }),
      ]) {
        expect((await domainErrorOf(call)).code).toBe(ErrorCode.NOT_FOUND);
      }
      expect((await env.as(caller).listFiles({ page: undefined })).items.map((item) => item.id)).toEqual([kept.id]);

      const job = await env.cleanupQueue.getJob(purgeFileJobId(file.id));
      expect(job?.name).toBe(PURGE_FILES_JOB);
      expect(job?.data).toEqual({ fileIds: [file.id] });
      const queued = await env.cleanupQueue.getJobs(['waiting', 'delayed', 'active']);
      expect(queued.filter((queuedJob) => queuedJob.data.fileIds.includes(file.id))).toHaveLength(1);

      // The job's claim takes the unclaimed row; its storage is the worker's to give back.
      expect(await purgeNow(env, file.id)).toBe(true);
      expect(await fileRow(file.id)).toBeUndefined();
      expect(quotas.callsOf('releaseFileStorage')).toEqual([]);
    });
  });

  describe('restore', () => {
    it('makes an expired file active again with a fresh retention, and its code resolves again', async () => {
      const caller = newCaller();
      const { file } = await uploadFile(env, caller);
      await expire(file.id);
      await env.lifecycle.expireDue({ limit: 1000 });
      expect(await resolves(file.code)).toBeNull();

      const before = await dbNow();
      const { file: restored } = await env.as(caller).restoreFile({ fileId: file.id });
      const after = await dbNow();
      expect(restored).toEqual(
        expect.objectContaining({ id: file.id, code: file.code, status: filesV1.FileStatus.FILE_STATUS_ACTIVE }),
      );
      const expiresAt = fromTimestamp(restored!.expiresAt)!.getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before.getTime() + 6 * HOUR_MS);
      expect(expiresAt).toBeLessThanOrEqual(after.getTime() + 6 * HOUR_MS);
      expect(fromTimestamp(restored!.purgeAt)!.getTime()).toBe(expiresAt + REDEMPTION_MS);
      expect(await fileRow(file.id)).toEqual(expect.objectContaining({ status: 'active', purge_claimed_at: null }));
      expect(await announcedSoon(file.id)).toBe(true);
      expect(await resolves(file.code)).toBe(file.id);

      // Restoring what is not expired answers it unchanged.
      const again = await env.as(caller).restoreFile({ fileId: file.id });
      expect(again.file).toEqual(restored);
    });

    it('refuses with FILE_EXPIRED past the redemption window, or once the file is purging', async () => {
      const caller = newCaller();
      const lapsed = (await uploadFile(env, caller)).file;
      await expire(lapsed.id, { hoursAgo: 200, purgeAtSql: 'UTC_TIMESTAMP(3) - INTERVAL 1 SECOND' });
      const error = await domainErrorOf(env.as(caller).restoreFile({ fileId: lapsed.id }));
      expect([error.code, error.message]).toEqual([ErrorCode.FILE_EXPIRED, 'The file is past its redemption window']);
      expect(new Date(error.details['purgeAt'] as string).getTime()).toBe(
        ((await fileRow(lapsed.id))?.['purge_at'] as Date).getTime(),
      );
      expect(await statusOf(lapsed.id)).toBe('expired');

      const deleted = (await uploadFile(env, caller)).file;
      await expire(deleted.id);
      await env.as(caller).deleteFile({ fileId: deleted.id });
      expect((await domainErrorOf(env.as(caller).restoreFile({ fileId: deleted.id }))).code).toBe(
        ErrorCode.FILE_EXPIRED,
      );

      for (const [client, fileId] of [
        [env.as(newCaller()), lapsed.id],
        [env.as(caller), randomUUID()],
        [env.as(caller), 'not-an-id'],
      ] as const) {
        expect((await domainErrorOf(client.restoreFile({ fileId }))).code).toBe(ErrorCode.NOT_FOUND);
      }
    });

    it('refuses with STORAGE_QUOTA_EXCEEDED while the owner stores more than the group allows', async () => {
      const caller = newCaller();
      const { file } = await uploadFile(env, caller);
      await expire(file.id);
      quotas.storageBytes = file.sizeBytes - 1;
      try {
        const error = await domainErrorOf(env.as(caller).restoreFile({ fileId: file.id }));
        expect(error.code).toBe(ErrorCode.STORAGE_QUOTA_EXCEEDED);
        expect(await statusOf(file.id)).toBe('expired');
        // The usage asked for is the caller's own.
        expect(quotas.calls.at(-1)).toEqual({ method: 'getUsage', request: {}, ownerId: caller.ownerId });

        quotas.storageBytes = file.sizeBytes;
        expect((await env.as(caller).restoreFile({ fileId: file.id })).file?.status).toBe(
          filesV1.FileStatus.FILE_STATUS_ACTIVE,
        );
      } finally {
        quotas.storageBytes = undefined;
      }
    });

    it('against a racing purge claim, exactly one of them wins, every time', async () => {
      const caller = newCaller();
      const outcomes = { restored: 0, claimed: 0 };
      for (let round = 0; round < 50; round += 1) {
        const { file } = await uploadFile(env, caller);
        // The redemption window closes within a few milliseconds: both calls meet its end.
        await expire(file.id, {
          purgeAtSql: `UTC_TIMESTAMP(3) + INTERVAL ${(round % 10) * 2000} MICROSECOND`,
        });
        const [restore, claim] = await Promise.all([
          env
            .as(caller)
            .restoreFile({ fileId: file.id })
            .then(
              () => true,
              (error: unknown) => error,
            ),
          env.lifecycle.claimPurge({ limit: 10, leaseSeconds: LEASE_SECONDS, fileIds: [file.id] }),
        ]);
        // A claim that came too early leaves the file to the next one (the window has closed by now).
        const followUp = await env.lifecycle.claimPurge({ limit: 10, leaseSeconds: LEASE_SECONDS, fileIds: [file.id] });
        const restored = restore === true;
        const claimed = [...claim.files, ...followUp.files].filter((target) => target.fileId === file.id).length;
        expect({ round, restored, claimed }).toEqual({ round, restored, claimed: restored ? 0 : 1 });
        if (!restored) expect((restore as { code?: string }).code).toBe(ErrorCode.FILE_EXPIRED);
        expect(await statusOf(file.id)).toBe(restored ? 'active' : 'purging');
        outcomes[restored ? 'restored' : 'claimed'] += 1;
      }
      expect(outcomes.restored + outcomes.claimed).toBe(50);
    });
  });

  describe('upload sessions', () => {
    it('never commits an upload past its expiry (UPLOAD_EXPIRED), and commits one a second before it', async () => {
      const caller = newCaller();
      const late = await env.as(caller).beginUpload({ name: 'late.txt', mimeType: 'text/plain', declaredSizeBytes: 3 });
      const onTime = await env.as(caller).beginUpload({ name: 'ok.txt', mimeType: 'text/plain', declaredSizeBytes: 3 });
      await env.db.query('UPDATE uploads SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [
        late.uploadId,
      ]);
      await env.db.query('UPDATE uploads SET expires_at = UTC_TIMESTAMP(3) + INTERVAL 1 SECOND WHERE id = ?', [
        onTime.uploadId,
      ]);
      const commit = (uploadId: string) =>
        env.as(caller).commitUpload({ uploadId, sizeBytes: 3, sha256: 'e'.repeat(64) });

      const settlesBefore = quotas.callsOf('settleReservation').length;
      const error = await domainErrorOf(commit(late.uploadId));
      expect(error.code).toBe(ErrorCode.UPLOAD_EXPIRED);
      expect(await row('SELECT id FROM uploads WHERE id = ?', [late.uploadId])).toBeDefined();
      expect(await row('SELECT id FROM files WHERE upload_id = ?', [late.uploadId])).toBeUndefined();
      expect(quotas.callsOf('settleReservation')).toHaveLength(settlesBefore);
      expect((await commit(onTime.uploadId)).file?.sizeBytes).toBe(3);
    });

    it('lives as long as it asked, at most 24 hours', async () => {
      const caller = newCaller();
      const periodOf = async (expiresInSeconds?: number) => {
        const { uploadId } = await env.as(caller).beginUpload({
          name: 'a.txt',
          mimeType: 'text/plain',
          ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
        });
        const upload = await row('SELECT created_at, expires_at FROM uploads WHERE id = ?', [uploadId]);
        return ((upload?.['expires_at'] as Date).getTime() - (upload?.['created_at'] as Date).getTime()) / 1000;
      };
      expect(await periodOf(90)).toBe(90);
      expect(await periodOf()).toBe(86_400);
      expect(await periodOf(86_401)).toBe(86_400);
      const error = await domainErrorOf(
        env.as(caller).beginUpload({ name: 'a', mimeType: 'text/plain', expiresInSeconds: 0 }),
      );
      expect([error.code, error.details]).toEqual([ErrorCode.VALIDATION_FAILED, { field: 'expiresInSeconds' }]);
    });

    it('lists expired sessions oldest first, deletes only expired ones, and finds the ones that are left', async () => {
      const caller = newCaller();
      const begin = () => env.as(caller).beginUpload({ name: 'u.txt', mimeType: 'text/plain' });
      const older = await begin();
      const newer = await begin();
      const live = await begin();
      await env.db.query('UPDATE uploads SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 2 HOUR WHERE id = ?', [
        older.uploadId,
      ]);
      await env.db.query('UPDATE uploads SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR WHERE id = ?', [
        newer.uploadId,
      ]);

      const { uploads } = await env.lifecycle.listExpiredUploads({ limit: 1000 });
      const mine = uploads.filter((upload) => [older, newer, live].some((u) => u.uploadId === upload.uploadId));
      expect(mine.map((upload) => upload.uploadId)).toEqual([older.uploadId, newer.uploadId]);
      const reservation = await row('SELECT reservation_id FROM uploads WHERE id = ?', [older.uploadId]);
      expect(mine[0]).toEqual({
        uploadId: older.uploadId,
        objectKey: older.objectKey,
        reservationId: reservation?.['reservation_id'],
      });

      const ids = [older.uploadId, newer.uploadId, live.uploadId];
      expect(await env.lifecycle.deleteUploads({ uploadIds: ids })).toEqual({ deleted: 2 });
      expect((await env.lifecycle.findUploads({ uploadIds: [...ids, randomUUID()] })).uploadIds).toEqual([
        live.uploadId,
      ]);
      expect(await env.lifecycle.deleteUploads({ uploadIds: ids })).toEqual({ deleted: 0 });
      // The live one can still be committed.
      const { file } = await env
        .as(caller)
        .commitUpload({ uploadId: live.uploadId, sizeBytes: 1, sha256: 'f'.repeat(64) });
      expect(file?.sizeBytes).toBe(1);
    });
  });

  describe('object references', () => {
    it('lists every key held by a file or an upload in byte order, page by page', async () => {
      const caller = newCaller();
      const live = await uploadFile(env, caller);
      const purging = await uploadFile(env, caller);
      await env.as(caller).deleteFile({ fileId: purging.file.id });
      const pending = await env.as(caller).beginUpload({ name: 'p.txt', mimeType: 'text/plain' });

      const pages: filesV1.ObjectRef[][] = [];
      let afterKey = '';
      for (;;) {
        const { refs } = await env.lifecycle.listObjectRefs({ afterKey, limit: 3 });
        pages.push(refs);
        if (refs.length < 3) break;
        afterKey = refs.at(-1)!.objectKey;
      }
      const refs = pages.flat();
      const keys = refs.map((ref) => ref.objectKey);
      expect(keys).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      expect(new Set(keys).size).toBe(keys.length);
      const counted = await row('SELECT (SELECT COUNT(*) FROM files) + (SELECT COUNT(*) FROM uploads) AS n');
      expect(refs).toHaveLength(Number(counted?.['n']));
      expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);

      const refOf = (key: string) => refs.find((ref) => ref.objectKey === key);
      expect(refOf(live.begin.objectKey)).toEqual({
        objectKey: live.begin.objectKey,
        id: live.file.id,
        kind: filesV1.ObjectRefKind.OBJECT_REF_KIND_FILE,
        sizeBytes: live.bytes.length,
      });
      expect(refOf(purging.begin.objectKey)?.kind).toBe(filesV1.ObjectRefKind.OBJECT_REF_KIND_PURGING);
      expect(refOf(pending.objectKey)).toEqual({
        objectKey: pending.objectKey,
        id: pending.uploadId,
        kind: filesV1.ObjectRefKind.OBJECT_REF_KIND_UPLOAD,
        sizeBytes: 0,
      });

      // Strictly after the key given.
      const { refs: next } = await env.lifecycle.listObjectRefs({ afterKey: live.begin.objectKey, limit: 1 });
      expect(next[0]?.objectKey).toBe(keys[keys.indexOf(live.begin.objectKey) + 1]);
    });

    it('marks a file whose object is gone once: it stops resolving, its owner still sees it', async () => {
      const caller = newCaller();
      const { file } = await uploadFile(env, caller);
      const other = (await uploadFile(env, caller)).file;
      expect(await env.lifecycle.markObjectsMissing({ fileIds: [file.id] })).toEqual({ marked: 1 });
      expect(await announcedSoon(file.id)).toBe(true);
      expect(await resolves(file.code)).toBeNull();
      expect((await domainErrorOf(env.files.claimDownload({ fileId: file.id }))).code).toBe(
        ErrorCode.PICKUP_CODE_NOT_FOUND,
      );
      expect((await env.as(caller).getFile({ fileId: file.id })).file?.id).toBe(file.id);
      expect(await env.lifecycle.markObjectsMissing({ fileIds: [file.id, other.id] })).toEqual({ marked: 1 });
      expect(await env.lifecycle.markObjectsMissing({ fileIds: [file.id, other.id] })).toEqual({ marked: 0 });
    });
  });

  describe('who may call it', () => {
    const calls: Array<[string, (client: FilesTestEnv['lifecycle']) => Promise<unknown>]> = [
      ['expireDue', (client) => client.expireDue({ limit: 1 })],
      ['claimPurge', (client) => client.claimPurge({ limit: 1, leaseSeconds: 1, fileIds: [] })],
      ['finishPurge', (client) => client.finishPurge({ fileIds: [] })],
      ['listExpiredUploads', (client) => client.listExpiredUploads({ limit: 1 })],
      ['deleteUploads', (client) => client.deleteUploads({ uploadIds: [] })],
      ['listObjectRefs', (client) => client.listObjectRefs({ afterKey: '', limit: 1 })],
      ['findUploads', (client) => client.findUploads({ uploadIds: [] })],
      ['markObjectsMissing', (client) => client.markObjectsMissing({ fileIds: [] })],
    ];

    it('is FORBIDDEN to any caller but a platform service, and UNAUTHENTICATED without one', async () => {
      const user = env.lifecycleAs(newCaller('admin'));
      for (const [name, call] of calls) {
        expect([name, (await domainErrorOf(call(user))).code]).toEqual([name, ErrorCode.FORBIDDEN]);
        const anonymous = call(env.lifecycleAs({ ...newCaller(), ownerId: '' }));
        expect([name, (await domainErrorOf(anonymous)).code]).toEqual([name, ErrorCode.UNAUTHENTICATED]);
        await expect(call(env.lifecycle)).resolves.toBeDefined();
      }
    });

    it('takes at most 1000 rows or ids per call, and well-formed ids only', async () => {
      const many = Array.from({ length: 1001 }, () => randomUUID());
      for (const call of [
        env.lifecycle.expireDue({ limit: 1001 }),
        env.lifecycle.expireDue({ limit: 0 }),
        env.lifecycle.claimPurge({ limit: 1, leaseSeconds: 0, fileIds: [] }),
        env.lifecycle.finishPurge({ fileIds: many }),
        env.lifecycle.deleteUploads({ uploadIds: ['nope'] }),
        env.lifecycle.listObjectRefs({ afterKey: '', limit: 1001 }),
      ]) {
        expect((await domainErrorOf(call)).code).toBe(ErrorCode.VALIDATION_FAILED);
      }
    });

    it('refuses the owner calls to a platform service (it owns no files)', async () => {
      const service = env.as(serviceCaller('cleanup'));
      expect((await domainErrorOf(service.listFiles({ page: undefined }))).code).toBe(ErrorCode.FORBIDDEN);
    });
  });
});

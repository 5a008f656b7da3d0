import { createHash, randomUUID } from 'node:crypto';
import { commonV1, filesV1, fromTimestamp, quotasV1 } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import type { RowDataPacket } from 'mysql2/promise';
import { FakeQuotas } from './support/fake-quotas.js';
import { domainErrorOf, newAnonymousCaller, newCaller, uploadFile } from './support/files-scenario.js';
import {
  callerToken,
  startFilesTestEnv,
  withCallerToken,
  type FilesClient,
  type FilesTestEnv,
} from './support/files-test-env.js';

const OBJECT_KEY = /^files\/[0-9A-HJKMNP-TV-Z]{26}$/;
const CODE = /^[0-9A-HJKMNP-TV-Z]{6}$/;

describe('FileService over gRPC (MariaDB, local S3, fake quotas)', () => {
  let env: FilesTestEnv;
  let quotas: FakeQuotas;

  beforeAll(async () => {
    quotas = new FakeQuotas();
    env = await startFilesTestEnv({ quotas });
  });

  afterAll(async () => {
    await env?.close();
  });

  async function fileRow(fileId: string): Promise<RowDataPacket | undefined> {
    const [rows] = await env.db.query<RowDataPacket[]>('SELECT * FROM files WHERE id = ?', [fileId]);
    return rows[0];
  }

  async function pickupError(code: string) {
    return domainErrorOf(env.files.resolvePickupCode({ code }));
  }

  it('begin → commit → resolve → get → delete, end to end', async () => {
    const caller = newCaller();
    const { begin, file, bytes } = await uploadFile(env, caller, { name: '../../etc/passwd' });

    expect(begin.objectKey).toMatch(OBJECT_KEY);
    expect(begin.maxBytes).toBe(bytes.length);
    expect(begin.overLimitCode).toBe(ErrorCode.FILE_TOO_LARGE);
    expect(file.code).toMatch(CODE);
    expect(file).toEqual(
      expect.objectContaining({
        name: '_.._etc_passwd',
        sizeBytes: bytes.length,
        mimeType: 'text/plain',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        status: filesV1.FileStatus.FILE_STATUS_ACTIVE,
        downloads: 0,
        pinProtected: false,
      }),
    );
    expect(file.downloadLimit).toBeUndefined();
    const createdAt = fromTimestamp(file.createdAt)!;
    expect(fromTimestamp(file.expiresAt)!.getTime() - createdAt.getTime()).toBe(6 * 3600 * 1000);
    expect(fromTimestamp(file.purgeAt)!.getTime() - createdAt.getTime()).toBe((6 * 3600 + 7 * 86400) * 1000);
    expect(quotas.usageOf(caller.ownerId)).toEqual({
      storageUsedBytes: bytes.length,
      storageReservedBytes: 0,
      trafficUsedBytes: 0,
    });

    const typedLoosely = `${file.code.slice(0, 3)}-${file.code.slice(3)}`.toLowerCase();
    for (const code of [file.code, typedLoosely, ` ${typedLoosely} `]) {
      const resolved = await env.files.resolvePickupCode({ code });
      expect(resolved.fileId).toBe(file.id);
      expect(resolved.file).toEqual(
        expect.objectContaining({ name: file.name, sizeBytes: bytes.length, sha256: file.sha256 }),
      );
      expect(resolved.object).toEqual({ objectKey: begin.objectKey, sizeBytes: bytes.length });
    }

    const got = await env.as(caller).getFile({ fileId: file.id });
    expect(got.file).toEqual(file);
    expect(got.object).toEqual({ objectKey: begin.objectKey, sizeBytes: bytes.length });

    await env.as(caller).deleteFile({ fileId: file.id });
    expect((await pickupError(file.code)).code).toBe(ErrorCode.PICKUP_CODE_NOT_FOUND);
    expect((await domainErrorOf(env.as(caller).getFile({ fileId: file.id }))).code).toBe(ErrorCode.NOT_FOUND);
    // The row waits for the purge, which deletes the object and gives the storage back.
    expect((await fileRow(file.id))?.['status']).toBe('purging');
    expect(quotas.callsOf('releaseFileStorage')).toEqual([]);
    expect((await domainErrorOf(env.as(caller).deleteFile({ fileId: file.id }))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('lists only the caller’s files, newest first, page by page', async () => {
    const caller = newCaller();
    const stranger = newCaller();
    const uploaded: string[] = [];
    for (let i = 0; i < 5; i += 1) uploaded.push((await uploadFile(env, caller, { name: `f${i}.txt` })).file.id);
    await uploadFile(env, stranger);

    const seen: filesV1.File[] = [];
    const pageSizes: number[] = [];
    let cursor = '';
    do {
      const page = await env.as(caller).listFiles({ page: { limit: 2, cursor } });
      pageSizes.push(page.items.length);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);

    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen.map((file) => file.id)).toEqual([...uploaded].reverse());
    expect(seen.every((file) => CODE.test(file.code))).toBe(true);
    const whole = await env.as(caller).listFiles({ page: { limit: 0, cursor: '' } });
    expect(whole.items.map((file) => file.id)).toEqual([...uploaded].reverse());
    expect(whole.nextCursor).toBe('');

    for (const cursor of ['not-a-cursor', Buffer.from('2026-01-01|x').toString('base64url')]) {
      const error = await domainErrorOf(env.as(caller).listFiles({ page: { limit: 2, cursor } }));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    }
  });

  it('commit is idempotent per upload: the same file again, settled again without counting twice', async () => {
    const caller = newCaller();
    const { begin, file, bytes } = await uploadFile(env, caller);
    const again = await env
      .as(caller)
      .commitUpload({ uploadId: begin.uploadId, sizeBytes: bytes.length, sha256: file.sha256 });
    expect(again.file).toEqual(file);
    const settles = quotas
      .callsOf('settleReservation')
      .filter((request) => (request as { fileId: string }).fileId === file.id);
    expect(settles).toHaveLength(2);
    expect(settles[1]).toEqual(settles[0]);
    expect(quotas.usageOf(caller.ownerId).storageUsedBytes).toBe(bytes.length);
    const [rows] = await env.db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM files WHERE upload_id = ?', [
      begin.uploadId,
    ]);
    expect(rows[0]?.['n']).toBe(1);
  });

  it('concurrent commits of one upload make one file', async () => {
    const caller = newCaller();
    const bytes = Buffer.from('raced');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    for (let round = 0; round < 3; round += 1) {
      const begin = await env.as(caller).beginUpload({ name: 'race.txt', mimeType: 'text/plain' });
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          env.as(caller).commitUpload({ uploadId: begin.uploadId, sizeBytes: bytes.length, sha256 }),
        ),
      );
      expect(new Set(results.map((result) => result.file?.id)).size).toBe(1);
      expect(new Set(results.map((result) => result.file?.code)).size).toBe(1);
    }
    expect(quotas.usageOf(caller.ownerId).storageUsedBytes).toBe(3 * bytes.length);
  });

  it('nobody commits, reads, lists or deletes someone else’s upload or file', async () => {
    const owner = newCaller();
    const intruder = newCaller();
    const { file } = await uploadFile(env, owner);
    const pending = await env.as(owner).beginUpload({ name: 'x', mimeType: 'text/plain' });

    const commit = await domainErrorOf(
      env.as(intruder).commitUpload({ uploadId: pending.uploadId, sizeBytes: 1, sha256: 'a'.repeat(64) }),
    );
    expect(commit.code).toBe(ErrorCode.NOT_FOUND);

    const foreign = await domainErrorOf(env.as(intruder).getFile({ fileId: file.id }));
    const missing = await domainErrorOf(env.as(intruder).getFile({ fileId: randomUUID() }));
    const malformed = await domainErrorOf(env.as(intruder).getFile({ fileId: "1' OR '1'='1" }));
    for (const error of [foreign, missing, malformed]) {
      expect([error.code, error.message]).toEqual([ErrorCode.NOT_FOUND, foreign.message]);
    }
    expect((await domainErrorOf(env.as(intruder).deleteFile({ fileId: file.id }))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await env.as(intruder).listFiles({ page: undefined })).items).toEqual([]);
    await env.as(intruder).abortUpload({ uploadId: pending.uploadId });

    // Still intact for the owner.
    expect((await env.as(owner).getFile({ fileId: file.id })).file?.id).toBe(file.id);
    const committed = await env
      .as(owner)
      .commitUpload({ uploadId: pending.uploadId, sizeBytes: 1, sha256: 'a'.repeat(64) });
    expect(committed.file?.sizeBytes).toBe(1);
  });

  it('every unusable code gets the same PICKUP_CODE_NOT_FOUND', async () => {
    const caller = newCaller();
    const expired = (await uploadFile(env, caller)).file;
    await env.db.query('UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [expired.id]);
    const markedExpired = (await uploadFile(env, caller)).file;
    await env.db.query("UPDATE files SET status = 'expired' WHERE id = ?", [markedExpired.id]);
    const deleted = (await uploadFile(env, caller)).file;
    await env.as(caller).deleteFile({ fileId: deleted.id });

    const unknown = await pickupError('ZZZZZZ');
    expect(unknown.code).toBe(ErrorCode.PICKUP_CODE_NOT_FOUND);
    for (const code of [expired.code, markedExpired.code, deleted.code, 'UUUUUU', 'ABC12', '', 'x'.repeat(500)]) {
      const error = await pickupError(code);
      expect([error.code, error.message, error.details]).toEqual([unknown.code, unknown.message, unknown.details]);
    }

    // The owner still sees the expired file.
    const own = await env.as(caller).getFile({ fileId: markedExpired.id });
    expect(own.file?.status).toBe(filesV1.FileStatus.FILE_STATUS_EXPIRED);
  });

  it('a file stops resolving once its download limit is reached', async () => {
    const caller = newCaller();
    const { file } = await uploadFile(env, caller, { downloadLimit: 2 });
    expect(file.downloadLimit).toBe(2);
    await env.files.resolvePickupCode({ code: file.code });
    await env.files.claimDownload({ fileId: file.id });
    await env.files.resolvePickupCode({ code: file.code });
    await env.files.claimDownload({ fileId: file.id });

    expect((await pickupError(file.code)).code).toBe(ErrorCode.PICKUP_CODE_NOT_FOUND);
    expect((await domainErrorOf(env.files.claimDownload({ fileId: file.id }))).code).toBe(
      ErrorCode.PICKUP_CODE_NOT_FOUND,
    );
    expect((await env.as(caller).getFile({ fileId: file.id })).file?.downloads).toBe(2);
    expect((await domainErrorOf(env.files.claimDownload({ fileId: randomUUID() }))).code).toBe(
      ErrorCode.PICKUP_CODE_NOT_FOUND,
    );
  });

  it('rejects a download limit outside 1..1000', async () => {
    for (const downloadLimit of [0, 1001]) {
      const error = await domainErrorOf(
        env.as(newCaller()).beginUpload({ name: 'a', mimeType: 'text/plain', downloadLimit }),
      );
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    }
  });

  it('abort releases the reservation, is idempotent, and the upload cannot be committed after', async () => {
    const caller = newCaller();
    const begin = await env.as(caller).beginUpload({ name: 'a', mimeType: 'text/plain', declaredSizeBytes: 10 });
    expect(quotas.usageOf(caller.ownerId).storageReservedBytes).toBe(10);

    await env.as(caller).abortUpload({ uploadId: begin.uploadId });
    expect(quotas.usageOf(caller.ownerId).storageReservedBytes).toBe(0);
    expect(quotas.calls).toContainEqual(
      expect.objectContaining({ method: 'releaseReservation', ownerId: caller.ownerId }),
    );
    await env.as(caller).abortUpload({ uploadId: begin.uploadId });
    await env.as(caller).abortUpload({ uploadId: 'not-an-id' });

    const error = await domainErrorOf(
      env.as(caller).commitUpload({ uploadId: begin.uploadId, sizeBytes: 1, sha256: 'b'.repeat(64) }),
    );
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
  });

  it('passes quota refusals through and answers the storage limit code when storage decides', async () => {
    quotas.refuseWith = { code: ErrorCode.FILE_TOO_LARGE, message: 'The file is larger than your group allows' };
    try {
      const error = await domainErrorOf(
        env.as(newCaller()).beginUpload({ name: 'big', mimeType: 'text/plain', declaredSizeBytes: 10 ** 12 }),
      );
      expect([error.code, error.message]).toEqual([
        ErrorCode.FILE_TOO_LARGE,
        'The file is larger than your group allows',
      ]);
    } finally {
      quotas.refuseWith = undefined;
    }

    const previous = quotas.reservation;
    quotas.reservation = { reservedBytes: 300, limitedBy: quotasV1.LimitKind.LIMIT_KIND_STORAGE };
    try {
      const caller = newCaller();
      const begin = await env.as(caller).beginUpload({ name: 'a', mimeType: 'text/plain' });
      expect(begin).toEqual(
        expect.objectContaining({ maxBytes: 300, overLimitCode: ErrorCode.STORAGE_QUOTA_EXCEEDED }),
      );
      const tooBig = await domainErrorOf(
        env.as(caller).commitUpload({ uploadId: begin.uploadId, sizeBytes: 301, sha256: 'c'.repeat(64) }),
      );
      expect(tooBig.code).toBe(ErrorCode.VALIDATION_FAILED);
    } finally {
      quotas.reservation = previous;
    }
  });

  it('an unlimited reservation has no max bytes, and unlimited retention no expiry', async () => {
    const previous = { reservation: quotas.reservation, retention: quotas.retentionSeconds };
    quotas.reservation = { limitedBy: quotasV1.LimitKind.LIMIT_KIND_UNSPECIFIED };
    quotas.retentionSeconds = undefined;
    try {
      const caller = newCaller('admin');
      const begin = await env.as(caller).beginUpload({ name: 'a', mimeType: 'text/plain' });
      expect(begin.maxBytes).toBeUndefined();
      const { file } = await env
        .as(caller)
        .commitUpload({ uploadId: begin.uploadId, sizeBytes: 5, sha256: 'd'.repeat(64) });
      // Absent message fields arrive as null through the loader's `defaults: true`.
      expect(fromTimestamp(file?.expiresAt ?? undefined)).toBeUndefined();
      expect(fromTimestamp(file?.purgeAt ?? undefined)).toBeUndefined();
      expect((await env.files.resolvePickupCode({ code: file!.code })).fileId).toBe(file?.id);
    } finally {
      quotas.reservation = previous.reservation;
      quotas.retentionSeconds = previous.retention;
    }
  });

  it('answers UNAUTHENTICATED without a caller token, with a forged or malformed one (AUTH-08)', async () => {
    const owner = newCaller();
    const { file } = await uploadFile(env, owner);
    const forged = env.as(owner, 'another-secret-0123456789abcdef0123');
    const calls: Array<[string, (client: FilesClient) => Promise<unknown>]> = [
      ['beginUpload', (client) => client.beginUpload({ name: 'a', mimeType: 'text/plain' })],
      ['commitUpload', (client) => client.commitUpload({ uploadId: file.id, sizeBytes: 1, sha256: 'a'.repeat(64) })],
      ['abortUpload', (client) => client.abortUpload({ uploadId: file.id })],
      ['getFile', (client) => client.getFile({ fileId: file.id })],
      ['listFiles', (client) => client.listFiles({ page: undefined })],
      ['deleteFile', (client) => client.deleteFile({ fileId: file.id })],
      ['adoptFiles', (client) => client.adoptFiles({ fromCallerToken: callerToken(newAnonymousCaller()) })],
    ];
    const callsBefore = quotas.calls.length;
    for (const [name, call] of calls) {
      for (const client of [
        env.files,
        forged,
        withCallerToken(env.files, 'not.a-token'),
        withCallerToken(env.files, ''),
      ]) {
        const error = await domainErrorOf(call(client));
        expect([name, error.code]).toEqual([name, ErrorCode.UNAUTHENTICATED]);
      }
    }
    expect(quotas.calls.length).toBe(callsBefore);
    // Whatever the body once carried, only the token decides: the file is untouched.
    expect((await env.as(owner).getFile({ fileId: file.id })).file?.id).toBe(file.id);
    expect((await env.files.resolvePickupCode({ code: file.code })).fileId).toBe(file.id);
  });

  it('rejects a signed caller without owner, group or identity kind', async () => {
    const unauthenticated = [
      { ...newCaller(), ownerId: '' },
      { ...newCaller(), group: '' },
    ];
    for (const caller of unauthenticated) {
      const error = await domainErrorOf(env.as(caller).listFiles({ page: undefined }));
      expect(error.code).toBe(ErrorCode.UNAUTHENTICATED);
    }
    const invalid = [
      { ...newCaller(), kind: commonV1.IdentityKind.IDENTITY_KIND_UNSPECIFIED },
      { ...newCaller(), ownerId: 'x'.repeat(97) },
    ];
    for (const caller of invalid) {
      const error = await domainErrorOf(env.as(caller).listFiles({ page: undefined }));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    }
  });

  it('stores the code only as an HMAC and a ciphertext, never in plain text', async () => {
    const { file } = await uploadFile(env, newCaller());
    const row = await fileRow(file.id);
    expect(row?.['code_hmac']).toMatch(/^[0-9a-f]{64}$/);
    for (const column of ['code_hmac', 'code_ciphertext']) {
      expect(String(row?.[column]).toUpperCase()).not.toContain(file.code);
    }
    const [everything] = await env.db.query<RowDataPacket[]>('SELECT * FROM files');
    expect(JSON.stringify(everything)).not.toContain(file.code);
  });
});

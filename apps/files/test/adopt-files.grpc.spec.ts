import { ErrorCode } from '@lexy/server-errors';
import { signCallerToken } from '@lexy/server-grpc';
import type { RowDataPacket } from 'mysql2/promise';
import { FakeQuotas } from './support/fake-quotas.js';
import { domainErrorOf, newAnonymousCaller, newCaller, uploadFile } from './support/files-scenario.js';
import { CALLER_SECRET, callerToken, startFilesTestEnv, type FilesTestEnv } from './support/files-test-env.js';

describe('AdoptFiles over gRPC (MariaDB, local S3, fake quotas)', () => {
  let env: FilesTestEnv;
  let quotas: FakeQuotas;

  beforeAll(async () => {
    quotas = new FakeQuotas();
    env = await startFilesTestEnv({ quotas });
  });

  afterAll(async () => {
    await env?.close();
  });

  async function ownerOf(fileId: string): Promise<unknown> {
    const [rows] = await env.db.query<RowDataPacket[]>('SELECT owner_id FROM files WHERE id = ?', [fileId]);
    return rows[0]?.['owner_id'];
  }

  it("moves a guest's live files and their storage to the caller who signed in", async () => {
    const guest = newAnonymousCaller();
    const user = newCaller();
    const first = (await uploadFile(env, guest)).file;
    const second = (await uploadFile(env, guest)).file;
    const lapsed = (await uploadFile(env, guest)).file;
    await env.db.query('UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [lapsed.id]);
    const markedExpired = (await uploadFile(env, guest)).file;
    await env.db.query("UPDATE files SET status = 'expired' WHERE id = ?", [markedExpired.id]);
    const strangers = (await uploadFile(env, newAnonymousCaller())).file;

    const result = await env.as(user).adoptFiles({ fromCallerToken: callerToken(guest) });
    expect(result).toEqual({ moved: 2, kept: 0 });

    for (const file of [first, second]) {
      expect((await env.as(user).getFile({ fileId: file.id })).file).toEqual(file);
      expect((await domainErrorOf(env.as(guest).getFile({ fileId: file.id }))).code).toBe(ErrorCode.NOT_FOUND);
      expect(quotas.files.get(file.id)?.ownerId).toBe(user.ownerId);
      // The pickup code keeps working for whoever holds it.
      expect((await env.files.resolvePickupCode({ code: file.code })).fileId).toBe(file.id);
    }
    // The quota moves acted for the new owner, from the guest.
    const moves = quotas.calls.filter((call) => call.method === 'moveFileStorage');
    expect(moves).toEqual(
      [first, second].map((file) => ({
        method: 'moveFileStorage',
        request: { fileId: file.id, fromOwnerId: guest.ownerId },
        ownerId: user.ownerId,
      })),
    );
    expect((await env.as(user).listFiles({ page: undefined })).items.map((file) => file.id)).toEqual([
      second.id,
      first.id,
    ]);
    for (const file of [lapsed, markedExpired]) expect(await ownerOf(file.id)).toBe(guest.ownerId);
    expect(await ownerOf(strangers.id)).not.toBe(user.ownerId);
    expect(quotas.usageOf(guest.ownerId).storageUsedBytes).toBe(lapsed.sizeBytes + markedExpired.sizeBytes);

    // Running it again is harmless.
    expect(await env.as(user).adoptFiles({ fromCallerToken: callerToken(guest) })).toEqual({ moved: 0, kept: 0 });

    // The adopted file is the user's to delete, not the guest's; its bytes go with its purge.
    expect((await domainErrorOf(env.as(guest).deleteFile({ fileId: first.id }))).code).toBe(ErrorCode.NOT_FOUND);
    await env.as(user).deleteFile({ fileId: first.id });
    expect((await domainErrorOf(env.as(user).getFile({ fileId: first.id }))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it("keeps the files that exceed the caller's limits with the guest, and moves them once they fit", async () => {
    const guest = newAnonymousCaller();
    const user = newCaller();
    const fits = (await uploadFile(env, guest)).file;
    const tooLarge = (await uploadFile(env, guest)).file;
    const overQuota = (await uploadFile(env, guest)).file;
    quotas.moveRefusals.set(tooLarge.id, ErrorCode.FILE_TOO_LARGE);
    quotas.moveRefusals.set(overQuota.id, ErrorCode.STORAGE_QUOTA_EXCEEDED);
    try {
      expect(await env.as(user).adoptFiles({ fromCallerToken: callerToken(guest) })).toEqual({ moved: 1, kept: 2 });
      expect(await ownerOf(fits.id)).toBe(user.ownerId);
      for (const file of [tooLarge, overQuota]) {
        expect((await env.as(guest).getFile({ fileId: file.id })).file?.id).toBe(file.id);
        expect((await domainErrorOf(env.as(user).getFile({ fileId: file.id }))).code).toBe(ErrorCode.NOT_FOUND);
        expect(quotas.files.get(file.id)?.ownerId).toBe(guest.ownerId);
      }
      expect(await env.as(user).adoptFiles({ fromCallerToken: callerToken(guest) })).toEqual({ moved: 0, kept: 2 });
    } finally {
      quotas.moveRefusals.clear();
    }
    expect(await env.as(user).adoptFiles({ fromCallerToken: callerToken(guest) })).toEqual({ moved: 2, kept: 0 });
    expect(await ownerOf(overQuota.id)).toBe(user.ownerId);
  });

  it('fails the adoption on any other quota error, and a retry completes it', async () => {
    const guest = newAnonymousCaller();
    const user = newCaller();
    const file = (await uploadFile(env, guest)).file;
    quotas.moveRefusals.set(file.id, ErrorCode.SERVICE_UNAVAILABLE);
    try {
      const error = await domainErrorOf(env.as(user).adoptFiles({ fromCallerToken: callerToken(guest) }));
      expect(error.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(await ownerOf(file.id)).toBe(guest.ownerId);
    } finally {
      quotas.moveRefusals.clear();
    }
    expect(await env.as(user).adoptFiles({ fromCallerToken: callerToken(guest) })).toEqual({ moved: 1, kept: 0 });
  });

  it('counts each file once when adoptions of one guest run concurrently', async () => {
    const guest = newAnonymousCaller();
    const user = newCaller();
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await uploadFile(env, guest)).file.id);

    const results = await Promise.all(
      Array.from({ length: 5 }, () => env.as(user).adoptFiles({ fromCallerToken: callerToken(guest) })),
    );
    expect(results.reduce((sum, result) => sum + result.moved, 0)).toBe(4);
    expect(results.every((result) => result.kept === 0)).toBe(true);
    for (const id of ids) expect(await ownerOf(id)).toBe(user.ownerId);
  });

  it('refuses a from-token that is not anonymous or names the caller (VALIDATION_FAILED)', async () => {
    const user = newCaller();
    const registered = newCaller();
    const registeredFile = (await uploadFile(env, registered)).file;
    const guest = newAnonymousCaller();
    const guestFile = (await uploadFile(env, guest)).file;

    const fromRegistered = await domainErrorOf(env.as(user).adoptFiles({ fromCallerToken: callerToken(registered) }));
    expect(fromRegistered.code).toBe(ErrorCode.VALIDATION_FAILED);
    const fromAdmin = await domainErrorOf(
      env.as(user).adoptFiles({ fromCallerToken: callerToken({ ...guest, group: 'admin' }) }),
    );
    expect(fromAdmin.code).toBe(ErrorCode.VALIDATION_FAILED);
    const fromItself = await domainErrorOf(env.as(guest).adoptFiles({ fromCallerToken: callerToken(guest) }));
    expect(fromItself.code).toBe(ErrorCode.VALIDATION_FAILED);

    expect(await ownerOf(registeredFile.id)).toBe(registered.ownerId);
    expect(await ownerOf(guestFile.id)).toBe(guest.ownerId);
  });

  it('refuses a forged, expired or malformed from-token (UNAUTHENTICATED)', async () => {
    const user = newCaller();
    const guest = newAnonymousCaller();
    const file = (await uploadFile(env, guest)).file;
    const movesBefore = quotas.callsOf('moveFileStorage').length;

    const valid = callerToken(guest);
    const [payload] = valid.split('.');
    const tokens = [
      callerToken(guest, 'another-secret-0123456789abcdef0123'),
      signCallerToken(guest, CALLER_SECRET, Date.now() - 3_600_000),
      // A guest id of the attacker's choosing in the payload, with the real token's signature.
      `${Buffer.from(JSON.stringify({ sub: guest.ownerId, grp: 'anonymous', knd: 1, exp: 4e9 })).toString('base64url')}.${valid.split('.')[1]}`,
      payload ?? '',
      guest.ownerId,
      '',
    ];
    for (const fromCallerToken of tokens) {
      const error = await domainErrorOf(env.as(user).adoptFiles({ fromCallerToken }));
      expect([fromCallerToken, error.code]).toEqual([fromCallerToken, ErrorCode.UNAUTHENTICATED]);
    }
    expect(quotas.callsOf('moveFileStorage')).toHaveLength(movesBefore);
    expect(await ownerOf(file.id)).toBe(guest.ownerId);
  });
});

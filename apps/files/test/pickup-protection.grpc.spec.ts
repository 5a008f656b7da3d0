import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@lexy/server-errors';
import type { RowDataPacket } from 'mysql2/promise';
import { FakeQuotas } from './support/fake-quotas.js';
import { domainErrorOf, newCaller, purgeNow, uploadFile } from './support/files-scenario.js';
import { startFilesTestEnv, type FilesTestEnv } from './support/files-test-env.js';

const PIN = '482916';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: unknown) => (error as { code?: string }).code ?? String(error),
  );
}

function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

describe('PINs, share links and download claims over gRPC (MariaDB)', () => {
  let env: FilesTestEnv;

  beforeAll(async () => {
    env = await startFilesTestEnv({ quotas: new FakeQuotas() });
  });

  afterAll(async () => {
    await env?.close();
  });

  async function row(sql: string, params: unknown[]): Promise<RowDataPacket | undefined> {
    const [rows] = await env.db.query<RowDataPacket[]>(sql, params);
    return rows[0];
  }

  const resolve = (
    code: string,
    extra: { pin?: string; source?: string; linkToken?: string; downloadTicket?: string },
  ) => env.files.resolvePickupCode({ code, ...extra });

  it('stores the PIN only as an argon2id hash, on the upload and then on the file', async () => {
    const caller = newCaller();
    const begin = await env.as(caller).beginUpload({ name: 'a.txt', mimeType: 'text/plain', pin: PIN });
    const upload = await row('SELECT pin_hash FROM uploads WHERE id = ?', [begin.uploadId]);
    expect(upload?.['pin_hash']).toMatch(/^\$argon2id\$/);
    await env.as(caller).abortUpload({ uploadId: begin.uploadId });

    const { file } = await uploadFile(env, caller, { pin: PIN });
    expect(file.pinProtected).toBe(true);
    const stored = await row('SELECT * FROM files WHERE id = ?', [file.id]);
    expect(stored?.['pin_hash']).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(JSON.stringify(stored)).not.toContain(PIN);

    const refused = await domainErrorOf(env.as(caller).beginUpload({ name: 'a', mimeType: 'text/plain', pin: '1234' }));
    expect(refused.code).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('asks for the PIN, refuses a wrong one and resolves with the right one', async () => {
    const { file } = await uploadFile(env, newCaller(), { pin: PIN });
    const source = `ip:${randomUUID()}`;
    const required = await domainErrorOf(resolve(file.code, { source }));
    expect(required.code).toBe(ErrorCode.PIN_REQUIRED);
    expect(JSON.stringify(required)).not.toContain(file.name);
    expect((await domainErrorOf(resolve(file.code, { source, pin: '000000' }))).code).toBe(ErrorCode.PIN_INVALID);
    const resolved = await resolve(file.code, { source, pin: PIN });
    expect(resolved.fileId).toBe(file.id);
    // The right PIN did not count; the wrong one did.
    expect(await row('SELECT failures FROM pin_attempts WHERE file_id = ?', [file.id])).toEqual({ failures: 1 });
  });

  it('lets exactly 5 of 20 concurrent wrong PINs from one source be checked; the rest are refused', async () => {
    const { file } = await uploadFile(env, newCaller(), { pin: PIN });
    const source = `ip:${randomUUID()}`;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => codeOf(resolve(file.code, { source, pin: '111111' }))),
    );
    expect(tally(outcomes)).toEqual({ [ErrorCode.PIN_INVALID]: 5, [ErrorCode.RATE_LIMITED]: 15 });
    // The right PIN during the lock is refused too, with Retry-After of about an hour.
    const locked = await domainErrorOf(resolve(file.code, { source, pin: PIN }));
    expect(locked.code).toBe(ErrorCode.RATE_LIMITED);
    expect(locked.details['retryAfterSeconds']).toBeGreaterThan(3500);
    expect(locked.details['retryAfterSeconds']).toBeLessThanOrEqual(3600);
    const counters = await row('SELECT failures, locked_until FROM pin_attempts WHERE file_id = ?', [file.id]);
    expect(counters?.['failures']).toBe(5);

    // Once the lock and its window lie in the past, the source may try again.
    await env.db.query(
      'UPDATE pin_attempts SET window_started_at = window_started_at - INTERVAL 2 HOUR, locked_until = locked_until - INTERVAL 2 HOUR WHERE file_id = ?',
      [file.id],
    );
    await env.db.query(
      'UPDATE files SET pin_window_started_at = pin_window_started_at - INTERVAL 2 HOUR WHERE id = ?',
      [file.id],
    );
    expect((await resolve(file.code, { source, pin: PIN })).fileId).toBe(file.id);
  });

  it('locks the code-only PIN path after 10 failures from many sources, never a link-token holder', async () => {
    const { file } = await uploadFile(env, newCaller(), { pin: PIN });
    const outcomes = await Promise.all(
      Array.from({ length: 15 }, (_, index) =>
        codeOf(resolve(file.code, { source: `ip:10.0.0.${index}`, pin: '222222' })),
      ),
    );
    expect(tally(outcomes)).toEqual({ [ErrorCode.PIN_INVALID]: 10, [ErrorCode.RATE_LIMITED]: 5 });
    expect((await domainErrorOf(resolve(file.code, { source: 'ip:10.0.1.1', pin: PIN }))).code).toBe(
      ErrorCode.RATE_LIMITED,
    );
    expect((await resolve(file.code, { source: 'ip:10.0.1.1', pin: PIN, linkToken: file.linkToken })).fileId).toBe(
      file.id,
    );
  });

  it('closes the PIN path after 30 lifetime failures until the owner reopens it', async () => {
    const owner = newCaller();
    const { file } = await uploadFile(env, owner, { pin: PIN });
    await env.db.query('UPDATE files SET pin_failures_total = 29 WHERE id = ?', [file.id]);
    expect((await domainErrorOf(resolve(file.code, { source: 'ip:a', pin: '333333' }))).code).toBe(
      ErrorCode.PIN_INVALID,
    );
    expect((await domainErrorOf(resolve(file.code, { source: 'ip:b', pin: PIN }))).code).toBe(ErrorCode.PIN_LOCKED);
    expect((await env.as(owner).getFile({ fileId: file.id })).file?.pinLocked).toBe(true);
    // Token holders are unaffected, and the code itself still resolves for them.
    expect((await resolve(file.code, { source: 'ip:b', pin: PIN, linkToken: file.linkToken })).fileId).toBe(file.id);

    // Only the owner can reopen it.
    expect((await domainErrorOf(env.as(newCaller()).reopenPin({ fileId: file.id }))).code).toBe(ErrorCode.NOT_FOUND);
    const reopened = await env.as(owner).reopenPin({ fileId: file.id });
    expect(reopened.file?.pinLocked).toBe(false);
    expect((await resolve(file.code, { source: 'ip:b', pin: PIN })).fileId).toBe(file.id);
  });

  it('resolves with the share-link token only when code and token belong to the same file', async () => {
    const caller = newCaller();
    const first = (await uploadFile(env, caller)).file;
    const second = (await uploadFile(env, caller)).file;
    expect(first.linkToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(first.linkToken).not.toBe(second.linkToken);
    expect((await resolve(first.code, { linkToken: first.linkToken })).fileId).toBe(first.id);
    for (const linkToken of [second.linkToken, '', 'A'.repeat(22)]) {
      expect((await domainErrorOf(resolve(first.code, { linkToken }))).code).toBe(ErrorCode.PICKUP_CODE_NOT_FOUND);
    }
    const stored = await row('SELECT link_token_hmac, link_token_ciphertext FROM files WHERE id = ?', [first.id]);
    expect(JSON.stringify(stored)).not.toContain(first.linkToken);
  });

  it('of 20 concurrent claims on a file limited to 3, exactly 3 win', async () => {
    const caller = newCaller();
    const { file } = await uploadFile(env, caller, { downloadLimit: 3 });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => codeOf(env.files.claimDownload({ fileId: file.id }))),
    );
    expect(tally(outcomes)).toEqual({ ok: 3, [ErrorCode.PICKUP_CODE_NOT_FOUND]: 17 });
    expect((await env.as(caller).getFile({ fileId: file.id })).file?.downloads).toBe(3);
  });

  it('lets a claimed download resume with its ticket after the limit is reached, without counting again', async () => {
    const caller = newCaller();
    const { file } = await uploadFile(env, caller, { downloadLimit: 1, pin: PIN });
    const source = `ip:${randomUUID()}`;
    await resolve(file.code, { source, pin: PIN });
    const { downloadTicket } = await env.files.claimDownload({ fileId: file.id });

    expect((await domainErrorOf(resolve(file.code, { source, pin: PIN }))).code).toBe(ErrorCode.PICKUP_CODE_NOT_FOUND);
    const resumed = await resolve(file.code, { source, pin: PIN, downloadTicket });
    expect(resumed.resumes).toBe(true);
    // The ticket stands in for the claim only: the PIN is still required.
    expect((await domainErrorOf(resolve(file.code, { source, downloadTicket }))).code).toBe(ErrorCode.PIN_REQUIRED);
    expect((await env.as(caller).getFile({ fileId: file.id })).file?.downloads).toBe(1);

    const other = (await uploadFile(env, caller)).file;
    expect((await domainErrorOf(resolve(other.code, { downloadTicket }))).code).toBe(ErrorCode.PICKUP_CODE_NOT_FOUND);
  });

  it('removes a file’s PIN counters with the file, when it is purged', async () => {
    const caller = newCaller();
    const { file } = await uploadFile(env, caller, { pin: PIN });
    await codeOf(resolve(file.code, { source: 'ip:x', pin: '999999' }));
    expect(await row('SELECT COUNT(*) AS n FROM pin_attempts WHERE file_id = ?', [file.id])).toEqual({ n: 1 });
    await env.as(caller).deleteFile({ fileId: file.id });
    expect(await purgeNow(env, file.id)).toBe(true);
    expect(await row('SELECT COUNT(*) AS n FROM pin_attempts WHERE file_id = ?', [file.id])).toEqual({ n: 0 });
  });
});

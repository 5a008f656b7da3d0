import { createHash } from 'node:crypto';
import { ErrorCode } from '@lexy/server-errors';
import type { RowDataPacket } from 'mysql2/promise';
import { FakeQuotas } from './support/fake-quotas.js';
import { domainErrorOf, newCaller, purgeNow, uploadFile } from './support/files-scenario.js';
import { startFilesTestEnv, type FilesTestEnv } from './support/files-test-env.js';

// PC-01: a code space of one single code, through the DI seam, so exhaustion is certain.
describe('pickup codes in a tiny code space', () => {
  let env: FilesTestEnv;
  let quotas: FakeQuotas;

  beforeAll(async () => {
    quotas = new FakeQuotas();
    env = await startFilesTestEnv({ quotas, codeSpace: { alphabet: 'A', length: 1 } });
  });

  afterAll(async () => {
    await env?.close();
  });

  it('answers CODE_SPACE_EXHAUSTED, never a duplicate, and the upload stays committable', async () => {
    const caller = newCaller();
    const first = await uploadFile(env, caller);
    expect(first.file.code).toBe('A');
    expect((await env.files.resolvePickupCode({ code: 'a' })).fileId).toBe(first.file.id);

    const bytes = Buffer.from('second');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const second = await env.as(caller).beginUpload({ name: 'b.txt', mimeType: 'text/plain' });
    const commit = () => env.as(caller).commitUpload({ uploadId: second.uploadId, sizeBytes: bytes.length, sha256 });

    const error = await domainErrorOf(commit());
    expect(error.code).toBe(ErrorCode.CODE_SPACE_EXHAUSTED);
    const [rows] = await env.db.query<RowDataPacket[]>('SELECT code_hmac, COUNT(*) AS n FROM files GROUP BY code_hmac');
    expect(rows.map((row) => row['n'])).toEqual([1]);
    expect(quotas.callsOf('settleReservation')).toHaveLength(1);
    expect((await env.files.resolvePickupCode({ code: 'A' })).fileId).toBe(first.file.id);

    // A deleted file holds its code until it is purged; then the same upload commits.
    await env.as(caller).deleteFile({ fileId: first.file.id });
    expect((await domainErrorOf(commit())).code).toBe(ErrorCode.CODE_SPACE_EXHAUSTED);
    expect(await purgeNow(env, first.file.id)).toBe(true);
    const { file } = await commit();
    expect(file?.code).toBe('A');
    expect((await env.files.resolvePickupCode({ code: 'A' })).fileId).toBe(file?.id);
  });
});

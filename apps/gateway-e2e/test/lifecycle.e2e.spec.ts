// The lifecycle through the gateway and the platform's cleanup worker (ticking every second in
// this suite): expiry, restore inside and outside the redemption window, purge, queued owner
// deletion, abandoned uploads and the reconciler (LC-01, LC-03, LC-04, LC-06).
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { startCleanup } from '../../../tools/platform/platform.mjs';
import { bearer, register } from './support/accounts.js';
import {
  api,
  bucket,
  bucketKeys,
  download,
  eventually,
  gatewayUrl,
  incompleteUploads,
  json,
  leftovers,
  query,
  request,
  s3,
  uploadMultipart,
} from './support/e2e.js';
import { Readable } from 'node:stream';

const platformEnv = () => JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
const nothingLeft = { uploads: 0, files: 0, reservations: 0, reservedBytes: 0, usedBytes: 0 };
/** The platform's cleanup worker (global-setup.mjs: E2E_PORTS.cleanup). */
const cleanupUrl = () => `http://127.0.0.1:${platformEnv()['CLEANUP_METRICS_PORT']}`;

async function upload(headers: Record<string, string>, content = randomBytes(1000)) {
  const response = await uploadMultipart(Readable.from([content]), { headers });
  expect(response.status).toBe(201);
  return json(response)['file'] as Record<string, any>;
}

// With the share link's token, which the files service checks on every lookup: a bare open code
// is remembered by the gateway (PICKUP_CACHE_SECONDS), and these tests move retention by SQL,
// which nothing announces.
const pickup = (file: Record<string, any>) =>
  request('GET', api(`/files/pickup/${file['code']}?t=${new URL(file['shareUrl']).searchParams.get('t')}`));
const restore = (id: string, headers: Record<string, string>) =>
  request('POST', api(`/files/${id}/restore`), { headers });
const fileRow = async (id: string) =>
  (await query<{ status: string }>('files', 'SELECT status, object_missing_at FROM files WHERE id = ?', [id]))[0];
const objectKeyOf = async (id: string) =>
  (await query<{ object_key: string }>('files', 'SELECT object_key FROM files WHERE id = ?', [id]))[0]?.object_key;

/** Moves a file's retention end (and its redemption window, 7 days later) by the database clock. */
async function endRetention(fileId: string, options: { secondsAgo?: number; purgeInSeconds?: number } = {}) {
  const secondsAgo = options.secondsAgo ?? 1;
  const purgeInSeconds = options.purgeInSeconds ?? 7 * 86_400 - secondsAgo;
  await query(
    'files',
    `UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL ? SECOND,
       purge_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = ?`,
    [secondsAgo, purgeInSeconds, fileId],
  );
}

/** A metric of the cleanup worker, summed over its label sets matching `labels`. */
async function metric(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

describe('lifecycle: expiry and restore (LC-01, LC-04)', () => {
  it('expires a file at its retention end by the database clock; its owner restores it with a fresh retention and the same code', async () => {
    const owner = await register();
    const headers = bearer(owner.accessToken);
    const file = await upload(headers);

    await endRetention(file['id'], { secondsAgo: -2 }); // ends in two seconds
    expect((await pickup(file)).status).toBe(200); // T − 2 s
    await endRetention(file['id'], { secondsAgo: 1 }); // T + 1 s
    expect(json(await pickup(file))['error'].code).toBe('PICKUP_CODE_NOT_FOUND');
    // The expire tick marks the row; the owner sees it expired and when it will be purged.
    expect(
      await eventually(
        () => fileRow(file['id']),
        (row) => row?.status === 'expired',
      ),
    ).toMatchObject({
      status: 'expired',
    });
    const seen = json(await request('GET', api(`/files/${file['id']}`), { headers }))['file'];
    expect(seen.status).toBe('expired');
    expect(Date.parse(seen.purgeAt) - Date.parse(seen.expiresAt)).toBe(7 * 86_400 * 1000);

    const restored = await restore(file['id'], headers);
    expect(restored.status).toBe(200);
    const active = json(restored)['file'];
    expect(active.status).toBe('active');
    expect(active.code).toBe(file['code']);
    // normal group: 6 hours from now (by the database clock, so within a minute of this one)
    expect(Math.abs(Date.parse(active.expiresAt) - (Date.now() + 6 * 3600_000))).toBeLessThan(60_000);
    expect(Date.parse(active.purgeAt) - Date.parse(active.expiresAt)).toBe(7 * 86_400 * 1000);
    const again = await download(
      api(`/files/pickup/${file['code']}/download?t=${new URL(file['shareUrl']).searchParams.get('t')}`),
    );
    expect(again.status).toBe(200);
    expect(again.sha256).toBe(file['sha256']);
    // Restoring an active file changes nothing.
    expect(json(await restore(file['id'], headers))['file'].expiresAt).toBe(active.expiresAt);
  });

  it('refuses a restore outside the redemption window with 410 FILE_EXPIRED, and a stranger’s with 404', async () => {
    const owner = await register();
    const headers = bearer(owner.accessToken);
    const file = await upload(headers);
    const stranger = bearer((await register()).accessToken);
    await endRetention(file['id'], { secondsAgo: 60 });
    expect((await restore(file['id'], stranger)).status).toBe(404);

    await endRetention(file['id'], { secondsAgo: 7 * 86_400 + 1, purgeInSeconds: -1 }); // T + 7 d + 1 s
    const late = await restore(file['id'], headers);
    // The purge may win the race to it first; then the row is already gone (404). Never 200.
    if (late.status === 404) expect(await fileRow(file['id'])).toBeUndefined();
    else {
      expect(late.status).toBe(410);
      expect(json(late)['error'].code).toBe('FILE_EXPIRED');
    }
    expect((await pickup(file)).status).toBe(404);
  });

  it('has exactly one winner when a restore races the purge claim', async () => {
    const owner = await register();
    const headers = bearer(owner.accessToken);
    const files = [];
    // One after another: each upload reserves the group's largest file size until it settles.
    for (let i = 0; i < 8; i += 1) files.push(await upload(headers));
    const outcomes = await Promise.all(
      files.map(async (file) => {
        // Inside the window for a few milliseconds more: the purge tick and the restore race for it.
        await endRetention(file['id'], { secondsAgo: 7 * 86_400 - 0.05, purgeInSeconds: 0.05 });
        await new Promise((resolve) => setTimeout(resolve, 40));
        return (await restore(file['id'], headers)).status;
      }),
    );
    for (const [index, status] of outcomes.entries()) {
      const file = files[index]!;
      expect([200, 404, 410]).toContain(status);
      const settled = await eventually(
        () => fileRow(file['id']),
        (row) => status === 200 || row === undefined,
      );
      if (status === 200) {
        // The restore won: the file stays, active, with its object.
        expect(settled?.status).toBe('active');
        expect(await bucketKeys()).toContain(await objectKeyOf(file['id']));
      } else expect(settled).toBeUndefined(); // the purge won: row gone for good
    }
  });
});

describe('lifecycle: purge and deletion', () => {
  it('purges a file past its redemption window: object, row and stored bytes, once (LC-01)', async () => {
    const owner = await register();
    const headers = bearer(owner.accessToken);
    const file = await upload(headers);
    const key = await objectKeyOf(file['id']);
    expect((await leftovers(owner.user.id)).usedBytes).toBe(1000);

    await endRetention(file['id'], { secondsAgo: 7 * 86_400 + 1, purgeInSeconds: -1 });
    const left = await eventually(
      () => leftovers(owner.user.id),
      (state) => state.files === 0,
    );
    expect(left).toEqual(nothingLeft);
    expect(await bucketKeys()).not.toContain(key);
    expect((await pickup(file)).status).toBe(404);
    expect((await request('GET', api(`/files/${file['id']}`), { headers })).status).toBe(404);
  });

  it('deletes an owner’s file at once for everyone, and its bytes in a queued job', async () => {
    const owner = await register();
    const headers = bearer(owner.accessToken);
    const file = await upload(headers);
    const key = await objectKeyOf(file['id']);

    expect((await request('DELETE', api(`/files/${file['id']}`), { headers })).status).toBe(204);
    expect((await request('GET', api(`/files/${file['id']}`), { headers })).status).toBe(404);
    expect((await pickup(file)).status).toBe(404);
    expect(json(await request('GET', api('/files'), { headers }))['items']).toEqual([]);
    expect((await request('DELETE', api(`/files/${file['id']}`), { headers })).status).toBe(404);
    // Deleted is final: 410 while the purge job runs, 404 once it has.
    expect([404, 410]).toContain((await restore(file['id'], headers)).status);

    expect(
      await eventually(
        () => leftovers(owner.user.id),
        (state) => state.files === 0,
      ),
    ).toEqual(nothingLeft);
    expect(await bucketKeys()).not.toContain(key);
  });

  it('converges after workers are killed (SIGKILL) mid-purge while another runs: nothing left, bytes released once (LC-03)', async () => {
    const owner = await register();
    const headers = bearer(owner.accessToken);
    const kept = await upload(headers, randomBytes(777));
    const doomed = [];
    for (let i = 0; i < 120; i += 1) doomed.push(await upload(headers, randomBytes(100)));
    const keys = await Promise.all(doomed.map((file) => objectKeyOf(file['id'])));
    const correctedBefore = await metric(cleanupUrl(), 'lexy_cleanup_items_total', { action: 'accounts_corrected' });

    const port = Number(platformEnv()['CLEANUP_METRICS_PORT']) + 100;
    for (let round = 0; round < 3; round += 1) {
      // Small batches keep the killed worker busy for a while; the platform's worker runs beside it.
      const worker = await startCleanup({ env: { ...platformEnv(), CLEANUP_BATCH_SIZE: '5' }, port });
      if (round === 0) {
        await query(
          'files',
          `UPDATE files SET status = 'expired', expires_at = UTC_TIMESTAMP(3) - INTERVAL 8 DAY,
             purge_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id IN (?)`,
          [doomed.map((file) => file['id'])],
        );
      }
      await new Promise((resolve) => setTimeout(resolve, randomInt(200, 1000)));
      worker.process.kill('SIGKILL');
      await worker.stop();
    }

    const left = await eventually(
      () => leftovers(owner.user.id),
      (state) => state.files === 1,
      60_000,
    );
    expect(left).toEqual({ ...nothingLeft, files: 1, usedBytes: 777 });
    const bucketNow = new Set(await bucketKeys());
    expect(keys.filter((key) => key && bucketNow.has(key))).toEqual([]);
    expect(bucketNow.has((await objectKeyOf(kept['id'])) ?? '')).toBe(true);
    // Released exactly once: no account needed a correction by the reconciler.
    expect(await metric(cleanupUrl(), 'lexy_cleanup_items_total', { action: 'accounts_corrected' })).toBe(
      correctedBefore,
    );
  });
});

describe('lifecycle: abandoned uploads and reconciliation (LC-06)', () => {
  it('gives up an upload left pending past its expiry: multipart upload aborted, reservation released', async () => {
    const owner = await register();
    const headers = { ...bearer(owner.accessToken), 'tus-resumable': '1.0.0' };
    const created = await request('POST', `${gatewayUrl()}/api/v1/uploads`, {
      headers: { ...headers, 'upload-length': String(12 * 1024 * 1024) },
    });
    expect(created.status).toBe(201);
    const path = new URL(String(created.headers['location']), gatewayUrl()).pathname;
    const patched = await request('PATCH', `${gatewayUrl()}${path}`, {
      headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: randomBytes(9 * 1024 * 1024),
    });
    expect(patched.status).toBe(204);
    const uploadId = path.split('/').pop();
    const [row] = await query<{ object_key: string }>('files', 'SELECT object_key FROM uploads WHERE id = ?', [
      uploadId,
    ]);
    expect(await incompleteUploads()).toContain(row?.object_key);
    expect((await leftovers(owner.user.id)).reservations).toBe(1);

    // Left for two days (its session would have expired after one).
    await query('files', 'UPDATE uploads SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 2 DAY WHERE id = ?', [uploadId]);
    const left = await eventually(
      () => leftovers(owner.user.id),
      (state) => state.uploads === 0 && state.reservations === 0,
    );
    expect(left).toEqual(nothingLeft);
    expect(await incompleteUploads()).not.toContain(row?.object_key);
    expect((await bucketKeys()).filter((key) => key.startsWith(`uploads/${uploadId}/`))).toEqual([]);
  });

  it('deletes an object that has no row once it is older than the grace period, and keeps a young one', async () => {
    const orphanKey = `files/01ORPHAN${randomBytes(9).toString('hex').toUpperCase()}`;
    const youngKey = `files/01YOUNG${randomBytes(9).toString('hex').toUpperCase()}`;
    await s3().putObject(bucket(), orphanKey, Buffer.from('no row'));
    await s3().putObject(bucket(), youngKey, Buffer.from('no row yet'));
    // The local S3 server reports an object file's mtime as its LastModified: make it two minutes old.
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(
      join(platformEnv()['S3_DATA_DIR']!, bucket(), `${orphanKey}._S3rver_object`),
      twoMinutesAgo,
      twoMinutesAgo,
    );

    const keys = await eventually(bucketKeys, (all) => !all.includes(orphanKey));
    expect(keys).not.toContain(orphanKey);
    expect(keys).toContain(youngKey); // younger than CLEANUP_ORPHAN_GRACE_SECONDS (60)
    await s3().removeObject(bucket(), youngKey);
  });

  it('marks a file whose object vanished: its code answers the uniform 404, not a 500', async () => {
    const owner = await register();
    const headers = bearer(owner.accessToken);
    const file = await upload(headers);
    await s3().removeObject(bucket(), (await objectKeyOf(file['id']))!);

    const row = await eventually(
      () =>
        query<{ object_missing_at: Date | null }>('files', 'SELECT object_missing_at FROM files WHERE id = ?', [
          file['id'],
        ]),
      (rows) => rows[0]?.object_missing_at != null,
    );
    expect(row[0]?.object_missing_at).not.toBeNull();
    const lookup = await pickup(file);
    expect(lookup.status).toBe(404);
    expect(json(lookup)['error'].code).toBe('PICKUP_CODE_NOT_FOUND');
    // Counted when the reconcile run that marked it ends.
    const marked = () => metric(cleanupUrl(), 'lexy_cleanup_items_total', { action: 'missing_marked' });
    expect(await eventually(marked, (count) => count > 0)).toBeGreaterThan(0);
  });
});

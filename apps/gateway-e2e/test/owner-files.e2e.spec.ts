import {
  api,
  bucketKeys,
  download,
  eventually,
  fingerprintOwner,
  json,
  newFingerprint,
  patternStream,
  query,
  request,
  uploadMultipart,
} from './support/e2e.js';
import { bearer, postJson } from './support/accounts.js';

async function anonymousToken(): Promise<string> {
  const response = await postJson('/auth/anonymous', { fingerprint: 'e2e-device' });
  expect(response.status).toBe(200);
  const body = json(response);
  expect(body.user.group).toBe('anonymous');
  expect(body.expiresIn).toBe(900);
  expect(typeof body.refreshToken).toBe('string');
  return body.accessToken;
}

describe('an anonymous token holder manages its own files', () => {
  it('uploads, lists, reads, downloads and deletes; the code and object are gone after', async () => {
    const token = await anonymousToken();
    const auth = bearer(token);
    const uploaded = await uploadMultipart(patternStream(2_000_000, 'owner'), {
      filename: 'report.pdf',
      mimeType: 'application/pdf',
      fields: { downloadLimit: '3' },
      headers: auth,
    });
    expect(uploaded.status).toBe(201);
    const { file } = json(uploaded);
    expect(file).toEqual(expect.objectContaining({ mimeType: 'application/pdf', downloadLimit: 3 }));

    const list = json(await request('GET', api('/files'), { headers: auth }));
    expect(list.items.map((item: { id: string }) => item.id)).toEqual([file.id]);
    expect(list.nextCursor).toBeNull();

    const one = await request('GET', api(`/files/${file.id}`), { headers: auth });
    expect(json(one).file.code).toBe(file.code);

    const own = await download(api(`/files/${file.id}/download`), auth);
    expect(own.sha256).toBe(file.sha256);

    // Another anonymous identity cannot see it: 404, like a file that does not exist.
    const stranger = bearer(await anonymousToken());
    const foreign = await request('GET', api(`/files/${file.id}`), { headers: stranger });
    expect(foreign.status).toBe(404);
    expect(json(foreign).error.code).toBe('NOT_FOUND');
    expect((await request('DELETE', api(`/files/${file.id}`), { headers: stranger })).status).toBe(404);

    const [row] = await query<{ object_key: string }>('files', 'SELECT object_key FROM files WHERE id = ?', [file.id]);
    expect(await bucketKeys()).toContain(row?.object_key);
    const deleted = await request('DELETE', api(`/files/${file.id}`), { headers: auth });
    expect(deleted.status).toBe(204);
    expect((await request('GET', api(`/files/pickup/${file.code}`))).status).toBe(404);
    expect((await request('GET', api(`/files/${file.id}`), { headers: auth })).status).toBe(404);
    // The object goes in the cleanup worker's queued purge job, moments later.
    expect(await eventually(bucketKeys, (keys) => !keys.includes(row?.object_key ?? ''))).not.toContain(
      row?.object_key,
    );
  });

  it('pages through its files newest first with limit and cursor, and refuses a bad limit', async () => {
    const auth = bearer(await anonymousToken());
    const ids: string[] = [];
    for (const name of ['one.txt', 'two.txt', 'three.txt']) {
      const uploaded = await uploadMultipart(patternStream(100, name), { filename: name, headers: auth });
      ids.push(json(uploaded).file.id);
    }
    const first = json(await request('GET', api('/files?limit=2'), { headers: auth }));
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    expect(typeof first.nextCursor).toBe('string');
    const cursor = encodeURIComponent(first.nextCursor);
    const second = json(await request('GET', api(`/files?limit=2&cursor=${cursor}`), { headers: auth }));
    expect(second.items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();

    for (const limit of ['0', '201', '1.5', 'ten']) {
      const refused = await request('GET', api(`/files?limit=${limit}`), { headers: auth });
      expect({ limit, status: refused.status, code: json(refused).error.code }).toEqual({
        limit,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('counts downloads and stops resolving the code at the download limit', async () => {
    const uploaded = json(
      await uploadMultipart(patternStream(1000, 'limit'), { fields: { downloadLimit: '1' }, filename: 'once.txt' }),
    );
    expect((await download(api(`/files/pickup/${uploaded.file.code}/download`))).status).toBe(200);
    const again = await request('GET', api(`/files/pickup/${uploaded.file.code}`));
    expect(again.status).toBe(404);
    expect(json(again).error.code).toBe('PICKUP_CODE_NOT_FOUND');
  });

  it('identifies tokenless callers by fingerprint, else by address, never by forged headers', async () => {
    // The e2e gateway trusts 127.0.0.1 as its proxy: the hop that proxy appended (rightmost)
    // is the client; what the client prepended itself, X-Real-IP and identity headers are ignored.
    const spoofed = {
      'x-forwarded-for': '6.6.6.6, 203.0.113.50',
      'x-real-ip': '203.0.113.51',
      'x-user-id': 'admin',
    };
    const byAddress = json(await uploadMultipart(patternStream(10, 'addr'), { headers: spoofed }));
    const fingerprint = newFingerprint();
    const byFingerprint = json(
      await uploadMultipart(patternStream(10, 'fp'), { headers: { ...spoofed, 'x-device-fingerprint': fingerprint } }),
    );
    const owners = await query<{ id: string; owner_id: string }>(
      'files',
      'SELECT id, owner_id FROM files WHERE id IN (?, ?)',
      [byAddress.file.id, byFingerprint.file.id],
    );
    const ownerOf = Object.fromEntries(owners.map((row) => [row.id, row.owner_id]));
    expect(ownerOf[byAddress.file.id]).toBe('ip:203.0.113.50');
    expect(ownerOf[byFingerprint.file.id]).toBe(fingerprintOwner(fingerprint, 'ip:203.0.113.50'));
  });

  it('requires a token to list files, and refuses forged tokens', async () => {
    const none = await request('GET', api('/files'));
    expect(none.status).toBe(401);
    expect(json(none).error.code).toBe('UNAUTHENTICATED');

    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', sid: 'y', grp: 'admin' })).toString('base64url');
    for (const token of [`${header}.${payload}.`, 'garbage', 'a.b.c']) {
      const forged = await request('GET', api('/files'), { headers: bearer(token) });
      expect(forged.status).toBe(401);
      expect(json(forged).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('serves a dangerous type as an opaque attachment (DL-01, DL-02)', async () => {
    const html = '<html><script>alert(1)</script></html>';
    const uploaded = json(
      await request('PUT', api('/files/page%22%0D%0ASet-Cookie%3A%20a%3Db.html'), {
        headers: { 'content-type': 'text/html' },
        body: html,
      }),
    );
    expect(uploaded.file.name).not.toMatch(/[\r\n]/);
    const fetched = await download(api(`/files/pickup/${uploaded.file.code}/download`), { accept: 'text/html' });
    expect(fetched.status).toBe(200);
    expect(fetched.headers['content-type']).toBe('application/octet-stream');
    expect(fetched.headers['content-disposition']).toMatch(/^attachment; filename="[^"\r\n]*"; filename\*=UTF-8''/);
    expect(fetched.headers['set-cookie']).toBeUndefined();
    expect(fetched.headers['x-content-type-options']).toBe('nosniff');
    expect(fetched.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(fetched.headers['cross-origin-resource-policy']).toBe('same-site');
    expect(fetched.text).toBe(html);
  });
});

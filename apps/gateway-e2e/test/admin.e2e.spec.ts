import { randomBytes } from 'node:crypto';
import { bearer, loginAdmin, me, newSource, patchUser, postJson, register } from './support/accounts.js';
import http from 'node:http';
import {
  api,
  eventually,
  json,
  leftovers,
  newDevice,
  patternStream,
  query,
  request,
  uploadMultipart,
  type RawResponse,
} from './support/e2e.js';

// The admin API through the gateway, against the real services (docs/api.md § Admin and
// security-cases AZ-02, AZ-04, AZ-05, AZ-06). Group limits are global: every test that changes
// one puts it back before it ends.

type Headers = Record<string, string>;

const get = (path: string, headers: Headers = {}) => request('GET', api(path), { headers });
const send = (method: string, path: string, body: unknown, headers: Headers = {}) =>
  request(method, api(path), {
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const errorCode = (response: RawResponse) => json(response).error?.code as string | undefined;

let admin: Headers;
let adminId: string;

beforeAll(async () => {
  const session = await loginAdmin();
  admin = bearer(session.accessToken);
  adminId = session.user.id;
});

describe('every admin route refuses everyone but admins (AZ-02)', () => {
  it('answers 401 without a token and 403 ADMIN_REQUIRED with a user’s or an anonymous token', async () => {
    const document = json(await get('/openapi.json'));
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/v1/admin'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
    expect(operations.length).toBeGreaterThanOrEqual(9);

    const user = bearer((await register()).accessToken);
    const anonymous = bearer(json(await postJson('/auth/anonymous', {})).accessToken);
    for (const { method, path } of operations) {
      const concrete = path
        .replace('/api/v1', '')
        .replace('{id}', '01900000-0000-7000-8000-000000000000')
        .replace('{name}', 'vip');
      const body = method === 'PATCH' ? { limits: {} } : undefined;
      const none = await send(method, concrete, body);
      expect({ route: `${method} ${path}`, status: none.status }).toEqual({ route: `${method} ${path}`, status: 401 });
      for (const caller of [user, anonymous]) {
        const refused = await send(method, concrete, body, caller);
        expect({ route: `${method} ${path}`, status: refused.status, code: errorCode(refused) }).toEqual({
          route: `${method} ${path}`,
          status: 403,
          code: 'ADMIN_REQUIRED',
        });
      }
    }
  });
});

describe('users', () => {
  it('finds users by part of their email, pages through them and sorts them', async () => {
    const tag = randomBytes(4).toString('hex');
    // One after the other, so that their creation order is the order of their names.
    const emails: string[] = [];
    for (const n of [0, 1, 2]) emails.push((await register(`${tag}-${n}@admin.e2e.lexy.test`)).email);
    const pages: string[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = json(
        await get(`/admin/users?query=${tag}&limit=2&sort=email${cursor ? `&cursor=${cursor}` : ''}`, admin),
      );
      pages.push(page.items.map((user: { email: string }) => user.email));
      cursor = page.nextCursor;
    }
    expect(pages).toEqual([[emails[0], emails[1]], [emails[2]]]);

    const newest = json(await get(`/admin/users?query=${tag.toUpperCase()}`, admin));
    expect(newest.items.map((user: { email: string }) => user.email)).toEqual([...emails].reverse());
    expect(newest.items[0]).toEqual({
      id: expect.any(String),
      email: emails[2],
      displayName: null,
      group: 'normal',
      createdAt: expect.any(String),
      disabled: false,
    });
  });

  it('keeps searches literal and bounded (AZ-05)', async () => {
    // `<tag>-0@…` exists; as wildcards, `_` and `%` after the tag would match it.
    const tag = randomBytes(4).toString('hex');
    await register(`${tag}-0@admin.e2e.lexy.test`);
    expect(json(await get(`/admin/users?query=${tag}-`, admin)).items).toHaveLength(1);
    for (const literal of [`${tag}_`, `${tag}%`, `${tag}\\`, "' OR 1=1 --"]) {
      const response = await get(`/admin/users?query=${encodeURIComponent(literal)}`, admin);
      expect(response.status).toBe(200);
      expect({ literal, items: json(response).items }).toEqual({ literal, items: [] });
    }
    const refused = [
      // Raw, so that the 10,000 signs fit the request line; `%25` each would not.
      `query=${'%'.repeat(10_000)}`,
      'limit=1000000',
      'limit=0',
      'sort=password',
      'order=sideways',
      'group=root',
      'cursor=not-a-cursor',
      'role=admin',
    ];
    for (const params of refused) {
      const response = await get(`/admin/users?${params}`, admin);
      expect({ params, status: response.status, code: errorCode(response) }).toEqual({
        params,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body.toString()).not.toContain('<');
    }
  });

  it('promotes a user to vip, whose limits change at once, and refuses mass assignment (AZ-04)', async () => {
    const user = await register();
    const mass = await patchUser(user.user.id, { group: 'vip', role: 'admin', quotaBytes: 1e15 }, admin);
    expect(mass.status).toBe(400);
    expect(errorCode(mass)).toBe('VALIDATION_FAILED');
    expect((await patchUser(user.user.id, { group: 'root' }, admin)).status).toBe(400);
    expect(json(await me(user.accessToken)).user.group).toBe('normal');

    const promoted = await patchUser(user.user.id, { group: 'vip' }, { ...admin, 'x-request-id': 'e2e-promote-1' });
    expect(promoted.status).toBe(200);
    expect(json(promoted).user).toMatchObject({ id: user.user.id, group: 'vip', disabled: false });
    const mine = json(await me(user.accessToken));
    expect(mine.user.group).toBe('vip');
    expect(mine.quota.limits).toMatchObject({ downloadBytesPerSecond: 15_000_000, trafficWindow: 'month' });

    const entry = (json(await get('/admin/audit?limit=20', admin)).items as Array<Record<string, any>>).find(
      (item) => item.requestId === 'e2e-promote-1',
    );
    expect(entry).toMatchObject({
      actor: adminId,
      actorEmail: process.env['E2E_ADMIN_EMAIL'],
      action: 'user.update',
      target: `user:${user.user.id}`,
      before: { group: 'normal' },
      after: { group: 'vip' },
    });
  });

  it('disables a user, whose tokens end at once, and enables them again', async () => {
    const user = await register();
    expect((await patchUser(user.user.id, { disabled: true }, admin)).status).toBe(200);
    const refused = await me(user.accessToken);
    expect(['ACCOUNT_DISABLED', 'SESSION_REVOKED']).toContain(errorCode(refused));
    expect((await postJson('/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await postJson('/auth/login', { email: user.email, password: user.password }, newSource())).status).toBe(
      401,
    );

    expect(json(await patchUser(user.user.id, { disabled: false }, admin)).user.disabled).toBe(false);
    expect((await postJson('/auth/login', { email: user.email, password: user.password }, newSource())).status).toBe(
      200,
    );
  });

  it('does not let an admin lock themself out', async () => {
    for (const change of [{ disabled: true }, { group: 'normal' }]) {
      const response = await patchUser(adminId, change, admin);
      expect(response.status).toBe(400);
      expect(errorCode(response)).toBe('VALIDATION_FAILED');
    }
    expect(json(await me(admin['authorization']!.slice(7))).user.group).toBe('admin');
  });

  it('answers 404 for a user that does not exist', async () => {
    const response = await patchUser('01900000-0000-7000-8000-000000000000', { group: 'vip' }, admin);
    expect(response.status).toBe(404);
  });
});

/** Reads a download until it ends, however it ends; the bytes that arrived. */
function readUntilEnd(url: string, headers: Headers, onBytes: (bytes: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => onBytes((bytes += chunk.length)));
        response.on('close', () => resolve(bytes));
        response.on('error', () => resolve(bytes));
      })
      .on('error', reject);
  });
}

describe('files', () => {
  it('lists every owner’s files by owner email, status and name, without codes, sorted and paged', async () => {
    const owner = await register();
    const tag = randomBytes(4).toString('hex');
    for (const [n, size] of [
      [0, 3000],
      [1, 1000],
      [2, 2000],
    ] as const) {
      const uploaded = await uploadMultipart(patternStream(size, `${tag}${n}`), {
        filename: `${tag}-${n}.bin`,
        headers: bearer(owner.accessToken),
      });
      expect(uploaded.status).toBe(201);
    }
    const bySize = json(await get(`/admin/files?owner=${encodeURIComponent(owner.email)}&sort=size&order=asc`, admin));
    expect(bySize.items.map((file: { name: string }) => file.name)).toEqual([
      `${tag}-1.bin`,
      `${tag}-2.bin`,
      `${tag}-0.bin`,
    ]);
    expect(bySize.items[0]).toEqual({
      id: expect.any(String),
      ownerId: owner.user.id,
      ownerEmail: owner.email,
      name: `${tag}-1.bin`,
      size: 1000,
      mimeType: 'application/octet-stream',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: 'active',
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      purgeAt: expect.any(String),
      downloads: 0,
      downloadLimit: null,
      pinProtected: false,
    });
    expect(JSON.stringify(bySize)).not.toMatch(/"code"|shareUrl|linkToken/);

    const pages: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = json(
        await get(`/admin/files?query=${tag}&sort=name&limit=2${cursor ? `&cursor=${cursor}` : ''}`, admin),
      );
      pages.push(...page.items.map((file: { name: string }) => file.name));
      cursor = page.nextCursor;
    }
    expect(pages).toEqual([`${tag}-0.bin`, `${tag}-1.bin`, `${tag}-2.bin`]);
    expect(json(await get(`/admin/files?owner=${owner.user.id}&status=expired`, admin)).items).toEqual([]);
    expect(json(await get('/admin/files?owner=nobody@nowhere.lexy.test', admin)).items).toEqual([]);
    for (const params of ['sort=password', 'status=purging', 'limit=101', `query=${'%'.repeat(10_000)}`, 'ownerId=x']) {
      expect({ params, status: (await get(`/admin/files?${params}`, admin)).status }).toEqual({ params, status: 400 });
    }
    // As wildcards, `_` and `%` after the tag would match `<tag>-0.bin`.
    for (const literal of [`${tag}_`, `${tag}%`, "' OR 1=1 --"]) {
      const items = json(await get(`/admin/files?query=${encodeURIComponent(literal)}`, admin)).items;
      expect({ literal, items }).toEqual({ literal, items: [] });
    }
  });

  it('takes a file down: its download in flight is cut, its code stops resolving, the same bytes are refused', async () => {
    const uploader = newDevice();
    const size = 24_000_000;
    const uploaded = await uploadMultipart(patternStream(size, 'takedown'), {
      filename: 'abuse report.bin',
      headers: uploader.headers,
    });
    expect(uploaded.status).toBe(201);
    const { file } = json(uploaded);

    // An anonymous downloader at 3 MB/s needs ~8 s for the whole file: cut it after the first MB.
    let deleted: Promise<RawResponse> | undefined;
    const received = await readUntilEnd(api(`/files/pickup/${file.code}/download`), newSource(), (bytes) => {
      if (bytes >= 1_000_000 && !deleted) {
        deleted = send(
          'DELETE',
          `/admin/files/${file.id}?block=true&reason=${encodeURIComponent('reported abuse')}`,
          undefined,
          {
            ...admin,
            'x-request-id': 'e2e-takedown-1',
          },
        );
      }
    });
    expect((await deleted)?.status).toBe(204);
    expect(received).toBeGreaterThanOrEqual(1_000_000);
    expect(received).toBeLessThan(size);

    const lookup = await get(`/files/pickup/${file.code}`, newSource());
    expect(lookup.status).toBe(404);
    expect(errorCode(lookup)).toBe('PICKUP_CODE_NOT_FOUND');

    const again = newDevice();
    const reupload = await uploadMultipart(patternStream(size, 'takedown'), {
      filename: 'innocent.bin',
      headers: again.headers,
    });
    expect(reupload.status).toBe(403);
    expect(errorCode(reupload)).toBe('UPLOAD_BLOCKED');
    expect(
      await eventually(
        () => leftovers(again.owner, again.account),
        (left) => left.reservedBytes === 0,
      ),
    ).toEqual({
      uploads: expect.any(Number),
      files: 0,
      reservations: 0,
      reservedBytes: 0,
      usedBytes: 0,
    });
    // The same bytes through tus (creation-with-upload, so the one request completes it).
    const tusUploader = newDevice();
    const tus = await request('POST', api('/uploads'), {
      headers: {
        ...tusUploader.headers,
        'tus-resumable': '1.0.0',
        'upload-length': String(size),
        'upload-metadata': `filename ${Buffer.from('again.bin').toString('base64')}`,
        'content-type': 'application/offset+octet-stream',
      },
      body: patternStream(size, 'takedown'),
    });
    expect(tus.status).toBe(403);
    expect(errorCode(tus)).toBe('UPLOAD_BLOCKED');
    expect(await leftovers(tusUploader.owner, tusUploader.account)).toEqual({
      uploads: 0,
      files: 0,
      reservations: 0,
      reservedBytes: 0,
      usedBytes: 0,
    });
    // Other bytes from the same person are fine.
    expect((await uploadMultipart(patternStream(1000, 'other'), { headers: again.headers })).status).toBe(201);

    const entry = (json(await get('/admin/audit', admin)).items as Array<Record<string, any>>).find(
      (item) => item.requestId === 'e2e-takedown-1',
    );
    expect(entry).toMatchObject({
      actor: adminId,
      action: 'file.delete',
      target: `file:${file.id}`,
      before: expect.objectContaining({ name: 'abuse report.bin', sha256: file.sha256 }),
      details: { block: true, reason: 'reported abuse' },
    });
  });

  it('deletes without blocking, and restores any owner’s expired file', async () => {
    const owner = await register();
    const auth = bearer(owner.accessToken);
    const kept = json(await uploadMultipart(patternStream(2000, 'restore-me'), { headers: auth })).file;
    const gone = json(await uploadMultipart(patternStream(2000, 'delete-me'), { headers: auth })).file;

    expect((await send('DELETE', `/admin/files/${gone.id}`, undefined, admin)).status).toBe(204);
    expect((await get(`/files/${gone.id}`, auth)).status).toBe(404);
    expect((await send('DELETE', `/admin/files/${gone.id}`, undefined, admin)).status).toBe(404);
    expect((await uploadMultipart(patternStream(2000, 'delete-me'), { headers: auth })).status).toBe(201);

    await query(
      'files',
      `UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND, purge_at = UTC_TIMESTAMP(3) + INTERVAL 7 DAY WHERE id = ?`,
      [kept.id],
    );
    await eventually(
      async () => json(await get(`/files/${kept.id}`, auth)).file.status,
      (status) => status === 'expired',
    );
    const restored = await send('POST', `/admin/files/${kept.id}/restore`, undefined, admin);
    expect(restored.status).toBe(200);
    expect(json(restored).file).toMatchObject({ id: kept.id, status: 'active', ownerEmail: owner.email });
    expect(json(await get(`/files/pickup/${kept.code}`, newSource())).file.name).toBe(kept.name);
  });
});

describe('groups', () => {
  const original = async (name: string) =>
    (json(await get('/admin/groups', admin)).items as Array<{ name: string; limits: Record<string, unknown> }>).find(
      (group) => group.name === name,
    )!.limits;

  it('lists the four groups with their limits, in order', async () => {
    const { items } = json(await get('/admin/groups', admin));
    expect(items.map((group: { name: string }) => group.name)).toEqual(['anonymous', 'normal', 'vip', 'admin']);
    expect(items[0].limits).toMatchObject({ downloadBytesPerSecond: 3_000_000, trafficWindow: 'day' });
    expect(items[3].limits).toMatchObject({ downloadBytesPerSecond: null, storageBytes: null, retentionSeconds: null });
  });

  it('refuses negative, fractional, absurd and unknown limits, and unknown groups', async () => {
    const before = await original('normal');
    const refused: Array<Record<string, unknown>> = [
      { downloadBytesPerSecond: -1 },
      { downloadBytesPerSecond: 999 },
      { maxFileBytes: 1.5 },
      { storageBytes: 1e17 },
      { trafficBytes: '5GB' },
      { retentionSeconds: 59 },
      { retentionSeconds: 315_360_001 },
      { trafficWindow: 'week' },
      { trafficWindow: null },
      { quotaBytes: 1e15 },
    ];
    for (const limits of refused) {
      const response = await send('PATCH', '/admin/groups/normal', { limits }, admin);
      expect({ limits, status: response.status, code: errorCode(response) }).toEqual({
        limits,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect((await send('PATCH', '/admin/groups/normal', { limits: {}, role: 'x' }, admin)).status).toBe(400);
    expect((await send('PATCH', '/admin/groups/root', { limits: { retentionSeconds: 60 } }, admin)).status).toBe(404);
    expect(await original('normal')).toEqual(before);
  });

  it('applies a change to the next request and to files committed afterwards, and writes the audit', async () => {
    const before = await original('anonymous');
    const user = await register();
    try {
      const changed = await send(
        'PATCH',
        '/admin/groups/anonymous',
        { limits: { retentionSeconds: 120, storageBytes: null } },
        { ...admin, 'x-request-id': 'e2e-group-1' },
      );
      expect(changed.status).toBe(200);
      expect(json(changed)).toEqual({
        name: 'anonymous',
        limits: { ...before, retentionSeconds: 120, storageBytes: null },
      });

      const uploaded = await uploadMultipart(patternStream(1000, 'short'), { headers: newSource() });
      expect(uploaded.status).toBe(201);
      const expiresInMs = Date.parse(json(uploaded).file.expiresAt) - Date.now();
      expect(expiresInMs).toBeGreaterThan(100_000);
      expect(expiresInMs).toBeLessThanOrEqual(120_000);

      const entry = (json(await get('/admin/audit', admin)).items as Array<Record<string, any>>).find(
        (item) => item.requestId === 'e2e-group-1',
      );
      expect(entry).toMatchObject({
        actor: adminId,
        action: 'group.update',
        target: 'group:anonymous',
        before: { retentionSeconds: before['retentionSeconds'], storageBytes: before['storageBytes'] },
        after: { retentionSeconds: 120, storageBytes: null },
      });
      // A normal user's limits are untouched by another group's change.
      expect(json(await me(user.accessToken)).quota.limits.retentionSeconds).toBe(21_600);
    } finally {
      const restored = await send('PATCH', '/admin/groups/anonymous', { limits: before }, admin);
      expect(restored.status).toBe(200);
    }
    expect(await original('anonymous')).toEqual(before);
  });
  it('changes the speed of a download already running within seconds', async () => {
    const before = await original('anonymous');
    const uploader = newDevice();
    const size = 3_000_000;
    const { file } = json(await uploadMultipart(patternStream(size, 'speed-change'), { headers: uploader.headers }));
    try {
      expect(
        (await send('PATCH', '/admin/groups/anonymous', { limits: { downloadBytesPerSecond: 100_000 } }, admin)).status,
      ).toBe(200);
      // At 100 kB/s the file takes 30 s; lifted a moment after it starts, it ends in a few.
      const started = Date.now();
      let lifted: Promise<RawResponse> | undefined;
      const received = await readUntilEnd(api(`/files/pickup/${file.code}/download`), newSource(), (bytes) => {
        if (bytes >= 100_000 && !lifted) {
          lifted = send('PATCH', '/admin/groups/anonymous', { limits: { downloadBytesPerSecond: null } }, admin);
        }
      });
      expect((await lifted)?.status).toBe(200);
      expect(received).toBe(size);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await send('PATCH', '/admin/groups/anonymous', { limits: before }, admin);
    }
  });
});

describe('stats', () => {
  it('counts users, files, storage and traffic, with 30 days ending today', async () => {
    const uploaded = json(await uploadMultipart(patternStream(4000, 'stats'), { headers: newSource() })).file;
    const stats = json(await get('/admin/stats', admin));
    expect(stats).toEqual({
      users: expect.any(Number),
      files: expect.any(Number),
      storageBytes: expect.any(Number),
      trafficBytes: { today: expect.any(Number), month: expect.any(Number) },
      series: expect.any(Array),
    });
    expect(stats.users).toBeGreaterThanOrEqual(1);
    expect(stats.files).toBeGreaterThanOrEqual(1);
    expect(stats.storageBytes).toBeGreaterThanOrEqual(uploaded.size);
    expect(stats.trafficBytes.month).toBeGreaterThanOrEqual(stats.trafficBytes.today);
    expect(stats.series).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(stats.series.at(-1)).toMatchObject({ day: today });
    expect(stats.series.at(-1).uploads).toBeGreaterThanOrEqual(1);
    expect(stats.series.at(-1).uploadBytes).toBeGreaterThanOrEqual(4000);
    expect(stats.series.at(-1).newUsers).toBeGreaterThanOrEqual(1);
    const days = stats.series.map((entry: { day: string }) => entry.day);
    expect(days).toEqual([...days].sort());
  });
});

describe('audit', () => {
  it('pages newest first, each entry once, and refuses a cursor it did not give out', async () => {
    const user = await register();
    for (const group of ['vip', 'normal', 'vip']) await patchUser(user.user.id, { group }, admin);
    const first = json(await get('/admin/audit?limit=2', admin));
    const second = json(await get(`/admin/audit?limit=2&cursor=${first.nextCursor}`, admin));
    const ids = [...first.items, ...second.items].map((entry: { id: string }) => entry.id);
    expect(new Set(ids).size).toBe(4);
    const times = [...first.items, ...second.items].map((entry: { at: string }) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(first.items[0]).toMatchObject({ target: `user:${user.user.id}`, after: { group: 'vip' } });
    expect((await get('/admin/audit?cursor=bogus', admin)).status).toBe(400);
  });

  it('keeps audit rows append-only in every service database', async () => {
    for (const service of ['auth', 'quotas', 'files'] as const) {
      await expect(query(service, "UPDATE audit_log SET action = 'nothing'")).rejects.toThrow(/append-only/);
      await expect(query(service, 'DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    }
  });
});

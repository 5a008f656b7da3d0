import http from 'node:http';
import {
  api,
  bucketKeys,
  download,
  eventually,
  json,
  leftovers,
  patternStream,
  request,
  uploadMultipart,
} from './support/e2e.js';
import { bearer, login, loginAdmin, me, newEmail, patchUser, postJson, register } from './support/accounts.js';

const MB = 1_000_000;

describe('accounts: the main flow through the gateway', () => {
  it('register → login → upload → pickup → download → delete → refresh → logout, then the token is refused', async () => {
    const email = newEmail();
    const registered = await register(email, 'a long enough password');
    expect(registered.user).toEqual(expect.objectContaining({ email, group: 'normal' }));

    const session = await login(email.toUpperCase(), 'a long enough password');
    const auth = bearer(session.accessToken);
    const profile = json(await me(session.accessToken));
    expect(profile.user).toEqual(expect.objectContaining({ id: registered.user.id, email, group: 'normal' }));
    expect(profile.quota.limits).toEqual({
      downloadBytesPerSecond: 8e6,
      maxFileBytes: 2e9,
      storageBytes: 10e9,
      trafficBytes: 5e9,
      trafficWindow: 'day',
      retentionSeconds: 21_600,
    });

    const uploaded = json(
      await uploadMultipart(patternStream(3 * MB, 'account'), { filename: 'a.bin', headers: auth }),
    );
    expect((await request('GET', api(`/files/pickup/${uploaded.file.code}`))).status).toBe(200);
    expect((await download(api(`/files/pickup/${uploaded.file.code}/download`))).sha256).toBe(uploaded.file.sha256);
    expect(json(await me(session.accessToken)).quota.usage.storageBytes).toBe(3 * MB);
    expect((await request('DELETE', api(`/files/${uploaded.file.id}`), { headers: auth })).status).toBe(204);
    // Released by the cleanup worker's queued purge job, moments later.
    const usage = async () => json(await me(session.accessToken)).quota.usage.storageBytes as number;
    expect(await eventually(usage, (bytes) => bytes === 0)).toBe(0);

    const refreshed = json(await postJson('/auth/refresh', { refreshToken: session.refreshToken }));
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    const logout = await postJson(
      '/auth/logout',
      { refreshToken: refreshed.refreshToken },
      bearer(refreshed.accessToken),
    );
    expect(logout.status).toBe(204);

    const after = await request('GET', api('/files'), { headers: bearer(refreshed.accessToken) });
    expect(after.status).toBe(401);
    expect(json(after).error.code).toBe('SESSION_REVOKED');
    expect((await postJson('/auth/refresh', { refreshToken: refreshed.refreshToken })).status).toBe(401);
  });

  it('refuses a second account with the same email, whatever its case (409 EMAIL_TAKEN)', async () => {
    const { email } = await register();
    const again = await postJson('/auth/register', {
      email: `  ${email.toUpperCase()} `.trim(),
      password: 'another password',
    });
    expect(again.status).toBe(409);
    expect(json(again).error.code).toBe('EMAIL_TAKEN');
  });

  it('moves an anonymous identity’s files to the account it registers', async () => {
    const anonymous = json(await postJson('/auth/anonymous', {}));
    const uploaded = json(
      await uploadMultipart(patternStream(1000, 'adopt'), { headers: bearer(anonymous.accessToken) }),
    );
    const response = await postJson(
      '/auth/register',
      { email: newEmail(), password: 'adopting password' },
      bearer(anonymous.accessToken),
    );
    expect(response.status).toBe(201);
    const account = json(response);
    expect(account.adoptedFiles).toEqual({ moved: 1, kept: 0 });
    const list = json(await request('GET', api('/files'), { headers: bearer(account.accessToken) }));
    expect(list.items.map((file: { id: string }) => file.id)).toEqual([uploaded.file.id]);
    const old = await request('GET', api(`/files/${uploaded.file.id}`), { headers: bearer(anonymous.accessToken) });
    expect(old.status).toBe(404);
  });
});

describe('download traffic is counted for the caller', () => {
  it('adds the body bytes actually sent, full and ranged, to /auth/me', async () => {
    const { accessToken } = await register();
    const auth = bearer(accessToken);
    const uploaded = json(await uploadMultipart(patternStream(2 * MB, 'traffic'), { headers: auth }));
    expect(json(await me(accessToken)).quota.usage.trafficBytes).toBe(0);

    expect((await download(api(`/files/${uploaded.file.id}/download`), auth)).bytes).toBe(2 * MB);
    const ranged = await download(api(`/files/pickup/${uploaded.file.code}/download`), {
      ...auth,
      range: 'bytes=0-99',
    });
    expect(ranged.status).toBe(206);
    const usage = await eventually(
      async () => json(await me(accessToken)).quota.usage,
      (value) => value.trafficBytes >= 2 * MB + 100,
    );
    expect(usage.trafficBytes).toBe(2 * MB + 100);
  });
});

describe('group limits follow the account', () => {
  it('lets a normal user store a file larger than the anonymous maximum', async () => {
    const { accessToken, user } = await register();
    const size = 500 * MB + 1;
    const response = await request('PUT', api('/files/big.bin'), {
      headers: { ...bearer(accessToken), 'content-length': String(size) },
      body: patternStream(size, 'big'),
    });
    expect(response.status).toBe(201);
    expect(json(response).file.size).toBe(size);
    expect(await leftovers(user.id)).toEqual(
      expect.objectContaining({ files: 1, usedBytes: size, reservations: 0, uploads: 0 }),
    );
  });

  it('applies vip limits after an admin promotes the user', async () => {
    const user = await register();
    const declared = 3_000_000_000; // over normal's 2 GB, under vip's 5 GB
    const refused = await request('PUT', api('/files/huge.bin'), {
      headers: { ...bearer(user.accessToken), 'content-length': String(declared) },
      body: Buffer.alloc(0),
    }).catch(() => null);
    expect(refused?.status).toBe(413);

    // Only an admin may promote.
    const notAdmin = await patchUser(user.user.id, { group: 'vip' }, bearer(user.accessToken));
    expect(notAdmin.status).toBe(403);
    expect(json(notAdmin).error.code).toBe('ADMIN_REQUIRED');
    const anonymousCall = await patchUser(user.user.id, { group: 'vip' });
    expect(anonymousCall.status).toBe(401);

    const admin = await loginAdmin();
    expect(admin.user.group).toBe('admin');
    const promoted = await patchUser(user.user.id, { group: 'vip' }, bearer(admin.accessToken));
    expect(promoted.status).toBe(200);
    expect(json(promoted).user.group).toBe('vip');

    const refreshed = json(await postJson('/auth/refresh', { refreshToken: user.refreshToken }));
    const profile = json(await me(refreshed.accessToken));
    expect(profile.user.group).toBe('vip');
    expect(profile.quota.limits).toEqual(
      expect.objectContaining({ maxFileBytes: 5e9, storageBytes: 40e9, trafficBytes: 500e9, trafficWindow: 'month' }),
    );

    // The same declared size is now accepted: the upload starts streaming (then we cut it off).
    const keysBefore = await bucketKeys();
    const status = await new Promise<number | 'streaming'>((resolve) => {
      const outgoing = http.request(api('/files/huge.bin'), {
        method: 'PUT',
        headers: { ...bearer(refreshed.accessToken), 'content-length': String(declared) },
      });
      outgoing.on('response', (response) => resolve(response.statusCode ?? 0));
      outgoing.on('error', () => undefined);
      outgoing.write(Buffer.alloc(4 * MB));
      setTimeout(() => {
        outgoing.destroy();
        resolve('streaming');
      }, 1_500);
    });
    expect(status).toBe('streaming');
    const left = await eventually(
      () => leftovers(user.user.id),
      (value) => value.reservations === 0 && value.uploads === 0,
    );
    expect(left).toEqual(expect.objectContaining({ reservations: 0, uploads: 0, reservedBytes: 0 }));
    expect(await bucketKeys()).toEqual(keysBefore);
  });
});

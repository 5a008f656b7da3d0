import { ApiError } from './api-error.js';
import { createAdminApiClient } from './admin-client.js';

/** A gateway that answers every request with `answer` and keeps what it was sent. */
function recordingFetch(answer: () => Response) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return answer();
  };
  return { fetch, requests };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const page = { items: [], nextCursor: null };

function adminApi(answer: () => Response = () => json(200, page)) {
  const { fetch, requests } = recordingFetch(answer);
  const api = createAdminApiClient({ baseUrl: 'http://gw.test', accessToken: () => 'admin-token', fetch });
  const sent = () => requests.map((request) => `${request.method} ${request.url}`);
  return { api, requests, sent };
}

describe('createAdminApiClient', () => {
  it('lists users with the filters, sort and page that are set, and leaves the unset ones out', async () => {
    const { api, requests, sent } = adminApi();
    await expect(
      api.users({ query: 'ada', group: 'vip', disabled: false, sort: 'email', order: 'asc', limit: 20, cursor: 'c1' }),
    ).resolves.toEqual(page);
    await api.users({ query: '', group: undefined });
    expect(sent()).toEqual([
      'GET http://gw.test/api/v1/admin/users?query=ada&group=vip&disabled=false&sort=email&order=asc&limit=20&cursor=c1',
      'GET http://gw.test/api/v1/admin/users',
    ]);
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer admin-token');
  });

  it('changes a user’s group or disables them with a PATCH of just those fields', async () => {
    const user = { id: 'u1', email: 'a@b.c', displayName: null, group: 'vip', createdAt: '', disabled: false };
    const { api, requests, sent } = adminApi(() => json(200, { user }));
    await expect(api.updateUser('u1', { group: 'vip' })).resolves.toEqual({ user });
    await api.updateUser('u/2', { disabled: true });
    expect(sent()).toEqual([
      'PATCH http://gw.test/api/v1/admin/users/u1',
      'PATCH http://gw.test/api/v1/admin/users/u%2F2',
    ]);
    expect(await requests[0]!.json()).toEqual({ group: 'vip' });
    expect(await requests[1]!.json()).toEqual({ disabled: true });
  });

  it('lists files by owner, status and name, sorted', async () => {
    const { api, sent } = adminApi();
    await api.files({ owner: 'ip:203.0.113.7', status: 'expired', query: '50%_off', sort: 'size', order: 'desc' });
    expect(sent()).toEqual([
      'GET http://gw.test/api/v1/admin/files?owner=ip%3A203.0.113.7&status=expired&query=50%25_off&sort=size&order=desc',
    ]);
  });

  it('deletes a file, as a takedown with its reason only when asked, and restores one', async () => {
    const file = { id: 'f3', status: 'active' };
    const { api, sent } = adminApi(() =>
      sent().at(-1)?.startsWith('POST') ? json(200, { file }) : new Response(null, { status: 204 }),
    );
    await api.deleteFile('f1');
    await api.deleteFile('f2', { block: true, reason: '  copyright notice 42 ' });
    await expect(api.restoreFile('f3')).resolves.toEqual({ file });
    expect(sent()).toEqual([
      'DELETE http://gw.test/api/v1/admin/files/f1',
      'DELETE http://gw.test/api/v1/admin/files/f2?block=true&reason=copyright%20notice%2042',
      'POST http://gw.test/api/v1/admin/files/f3/restore',
    ]);
  });

  it('reads the groups and changes some of one group’s limits, null for unlimited', async () => {
    const limits = {
      downloadBytesPerSecond: null,
      maxFileBytes: 5e9,
      storageBytes: 4e10,
      trafficBytes: 5e11,
      trafficWindow: 'month',
      retentionSeconds: 60,
    };
    const { api, requests, sent } = adminApi(() =>
      requests.length === 1 ? json(200, { items: [{ name: 'vip', limits }] }) : json(200, { name: 'vip', limits }),
    );
    await expect(api.groups()).resolves.toEqual({ items: [{ name: 'vip', limits }] });
    await api.updateGroup('vip', { retentionSeconds: 60, downloadBytesPerSecond: null });
    expect(sent()).toEqual(['GET http://gw.test/api/v1/admin/groups', 'PATCH http://gw.test/api/v1/admin/groups/vip']);
    expect(await requests[1]!.json()).toEqual({ limits: { retentionSeconds: 60, downloadBytesPerSecond: null } });
  });

  it('reads the stats and pages through the audit log', async () => {
    const { api, sent } = adminApi();
    await api.stats();
    await api.audit({ limit: 25, cursor: 'next-1' });
    expect(sent()).toEqual([
      'GET http://gw.test/api/v1/admin/stats',
      'GET http://gw.test/api/v1/admin/audit?limit=25&cursor=next-1',
    ]);
  });

  it('throws a non-admin’s 403 as ADMIN_REQUIRED, with the field of a refused limit', async () => {
    const { api } = adminApi(() =>
      json(403, { error: { code: 'ADMIN_REQUIRED', message: 'Administrators only', details: {} } }),
    );
    await expect(api.stats()).rejects.toMatchObject({ status: 403, code: 'ADMIN_REQUIRED' });

    const refused = adminApi(() =>
      json(400, { error: { code: 'VALIDATION_FAILED', message: 'too small', details: { field: 'retentionSeconds' } } }),
    );
    const failure = await refused.api
      .updateGroup('anonymous', { retentionSeconds: 59 })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).details).toEqual({ field: 'retentionSeconds' });
  });
});

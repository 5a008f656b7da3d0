import http from 'node:http';
import { Redis } from 'ioredis';
import { bearer, me, register } from './support/accounts.js';
import {
  api,
  download,
  eventually,
  json,
  newDevice,
  patternStream,
  query,
  request,
  settledTraffic,
  uploadMultipart,
} from './support/e2e.js';

// Download speed (one bucket per caller) and traffic quotas (QR-02, QR-05). The anonymous
// group is made small for this file only, and restored afterwards.
const RATE = 200_000; // bytes per second
const TRAFFIC_LIMIT = 500_000; // bytes per UTC day
const FILE = 300_000;

type Device = ReturnType<typeof newDevice>;
let saved: { download_bytes_per_second: number | null; traffic_bytes: number | null };
let redis: Redis;

beforeAll(async () => {
  [saved] = await query<typeof saved>(
    'quotas',
    "SELECT download_bytes_per_second, traffic_bytes FROM `groups` WHERE name = 'anonymous'",
  );
  await query(
    'quotas',
    "UPDATE `groups` SET download_bytes_per_second = ?, traffic_bytes = ? WHERE name = 'anonymous'",
    [RATE, TRAFFIC_LIMIT],
  );
  // The gateway rereads a group's speed at most 2 s after a change: let any cached value go.
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});

afterAll(async () => {
  redis?.disconnect();
  if (saved) {
    await query(
      'quotas',
      "UPDATE `groups` SET download_bytes_per_second = ?, traffic_bytes = ? WHERE name = 'anonymous'",
      [saved.download_bytes_per_second, saved.traffic_bytes],
    );
  }
});

async function upload(device: Device, size = FILE, seed = 'dl') {
  const response = await uploadMultipart(patternStream(size, seed), { headers: device.headers });
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${response.body}`);
  return json(response).file as { id: string; code: string; size: number };
}

const pickup = (code: string) => api(`/files/pickup/${code}/download`);

const nextUtcMidnight = (ms: number) => {
  const now = new Date(ms);
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
};

describe('traffic quota (QR-02)', () => {
  it('refuses a download that does not fit the rest of the daily allowance: 429 QUOTA_EXCEEDED with Retry-After', async () => {
    const device = newDevice();
    const file = await upload(device);
    const first = await download(pickup(file.code), device.headers);
    expect(first.status).toBe(200);
    expect(first.bytes).toBe(FILE);

    const before = Date.now();
    const refused = await request('GET', pickup(file.code), { headers: device.headers });
    const after = Date.now();
    expect(refused.status).toBe(429);
    const { error } = json(refused);
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details).toEqual({
      quota: 'traffic',
      window: 'day',
      limitBytes: TRAFFIC_LIMIT,
      usedBytes: FILE,
      remainingBytes: TRAFFIC_LIMIT - FILE,
      requestedBytes: FILE,
      resetsAt: expect.any(String),
      retryAfterSeconds: expect.any(Number),
    });
    const resetsAt = Date.parse(error.details.resetsAt);
    expect([nextUtcMidnight(before), nextUtcMidnight(after)]).toContain(resetsAt);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBe(error.details.retryAfterSeconds);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil((resetsAt - before) / 1000));
    expect(retryAfter).toBeGreaterThanOrEqual(Math.floor((resetsAt - after) / 1000));
    expect(refused.headers['content-disposition']).toBeUndefined();

    // What is left is fetched with a Range; then not one byte more.
    const rest = await download(pickup(file.code), { ...device.headers, range: `bytes=0-${TRAFFIC_LIMIT - FILE - 1}` });
    expect(rest.status).toBe(206);
    expect(rest.bytes).toBe(TRAFFIC_LIMIT - FILE);
    const oneMore = await request('GET', pickup(file.code), { headers: { ...device.headers, range: 'bytes=0-0' } });
    expect(oneMore.status).toBe(429);
    expect(json(oneMore).error.details).toMatchObject({ usedBytes: TRAFFIC_LIMIT, remainingBytes: 0 });
    expect(await settledTraffic(device.account)).toBe(TRAFFIC_LIMIT);
  });

  it('never admits concurrent downloads past the limit', async () => {
    const device = newDevice();
    const file = await upload(device, 100_000);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => request('GET', pickup(file.code), { headers: device.headers })),
    );
    expect(results.filter((result) => result.status === 200)).toHaveLength(5);
    expect(results.filter((result) => result.status === 429)).toHaveLength(3);
    expect(await settledTraffic(device.account)).toBe(TRAFFIC_LIMIT);
  });

  it('counts only the bytes actually sent when the client cuts a download short', async () => {
    const device = newDevice();
    const file = await upload(device, 400_000);
    const received = await new Promise<number>((resolve, reject) => {
      http
        .get(pickup(file.code), { headers: device.headers }, (response) => {
          expect(response.statusCode).toBe(200);
          response.once('data', (chunk: Buffer) => {
            response.destroy(); // gone after the first bytes, 2 s of throttled body before the end
            resolve(chunk.length);
          });
        })
        .on('error', reject);
    });
    const counted = await settledTraffic(device.account);
    expect(counted).toBeGreaterThanOrEqual(received);
    expect(counted).toBeLessThan(400_000);
  });

  it('keeps /auth/me usage right: the bytes a user downloaded', async () => {
    const user = await register();
    const uploaded = await uploadMultipart(patternStream(123_456, 'me'), { headers: bearer(user.accessToken) });
    const { file } = json(uploaded);
    const fetched = await download(api(`/files/${file.id}/download`), bearer(user.accessToken));
    expect(fetched.bytes).toBe(123_456);
    await settledTraffic(user.user.id);
    expect(json(await me(user.accessToken)).quota.usage.trafficBytes).toBe(123_456);
  });
});

describe('tokenless callers behind one address (QR-05 a/c)', () => {
  it('rotating the fingerprint never resets storage or traffic usage', async () => {
    const first = newDevice();
    const rotated = newDevice(first.headers['x-forwarded-for']);
    expect(rotated.account).toBe(first.account);

    const a = await upload(first, FILE, 'a');
    const b = await upload(rotated, 100_000, 'b');
    const [account] = await query<{ used_bytes: number }>(
      'quotas',
      'SELECT used_bytes FROM storage_accounts WHERE owner_id = ?',
      [first.account],
    );
    expect(Number(account?.used_bytes)).toBe(FILE + 100_000);

    expect((await download(pickup(a.code), first.headers)).status).toBe(200);
    // The rotated fingerprint draws on the same daily allowance: 300 000 more do not fit.
    const refused = await request('GET', pickup(a.code), { headers: rotated.headers });
    expect(refused.status).toBe(429);
    expect(json(refused).error.details).toMatchObject({ usedBytes: FILE });
    expect((await download(pickup(b.code), rotated.headers)).status).toBe(200);
    expect(await settledTraffic(first.account)).toBe(FILE + 100_000);
  });

  it("two fingerprints behind one address own their files apart: neither sees or deletes the other's", async () => {
    const alice = newDevice();
    const bob = newDevice(alice.headers['x-forwarded-for']);
    const created = await request('POST', api('/uploads'), {
      headers: {
        ...alice.headers,
        'tus-resumable': '1.0.0',
        'upload-length': '10',
        'upload-metadata': `filename ${Buffer.from('a.txt').toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const location = new URL(String(created.headers['location']), api('/')).toString();
    const tus = { 'tus-resumable': '1.0.0' };

    expect((await request('HEAD', location, { headers: { ...bob.headers, ...tus } })).status).toBe(404);
    expect((await request('DELETE', location, { headers: { ...bob.headers, ...tus } })).status).toBe(404);
    expect((await request('HEAD', location, { headers: { ...alice.headers, ...tus } })).status).toBe(200);
    // Alice may end her own upload (and leaves nothing behind for later tests).
    expect((await request('DELETE', location, { headers: { ...alice.headers, ...tus } })).status).toBe(204);

    const owned = await upload(alice, 10, 'owned');
    const [row] = await query<{ owner_id: string }>('files', 'SELECT owner_id FROM files WHERE id = ?', [owned.id]);
    expect(row?.owner_id).toBe(alice.owner);
    expect(alice.owner).not.toBe(bob.owner);
  });
});

describe('download speed', () => {
  it('two concurrent downloads of one caller draw from ONE bucket', async () => {
    const device = newDevice();
    const file = await upload(device, 400_000, 'speed');
    const prefix = process.env['E2E_THROTTLE_PREFIX'] ?? 'lexy:throttle:';
    const key = `${prefix}{${device.account}}`;
    const halves = [
      download(pickup(file.code), { ...device.headers, range: 'bytes=0-199999' }),
      download(pickup(file.code), { ...device.headers, range: 'bytes=200000-399999' }),
    ];
    // One stream is never more than one read (64 KiB) in debt; two on one bucket are.
    const debt = await eventually(
      async () => Number((await redis.hget(key, 't')) ?? 0),
      (tokens) => tokens < -70_000,
    );
    expect(debt).toBeLessThan(-70_000);
    expect(await redis.keys(`${prefix}{${device.account}}*`)).toEqual([key]);
    const [first, second] = await Promise.all(halves);
    expect([first.status, second.status]).toEqual([206, 206]);
    expect(first.bytes + second.bytes).toBe(400_000);
  });
});

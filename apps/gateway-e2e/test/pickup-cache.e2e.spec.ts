import { randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import { startGateway } from '../../../tools/platform/platform.mjs';
import { bearer, postJson } from './support/accounts.js';
import { download, gatewayUrl, json, request, uploadMultipart } from './support/e2e.js';

// Gateways answer repeated lookups of open codes from memory (PICKUP_CACHE_SECONDS, default
// 10 s here): these tests prove that what they remember never outlives a change of the file.

async function anonymousUpload(fields: Record<string, string> = {}) {
  const token = json(await postJson('/auth/anonymous', {}))['accessToken'] as string;
  const uploaded = await uploadMultipart(Readable.from([Buffer.from('remembered?')]), {
    fields,
    headers: bearer(token),
  });
  expect(uploaded.status).toBe(201);
  return { file: json(uploaded)['file'], token };
}

const lookUp = (baseUrl: string, code: string, headers: Record<string, string> = {}) =>
  request('GET', `${baseUrl}/api/v1/files/pickup/${code}`, { headers });

describe('remembered pickup lookups', () => {
  let replica: Awaited<ReturnType<typeof startGateway>>;

  beforeAll(async () => {
    const env = JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
    // The real per-minute limit on this replica (the shared e2e platform lifts it), on counters
    // of its own: other tests' failed lookups from 127.0.0.1 must not count here.
    replica = await startGateway({
      env: { ...env, PICKUP_FAILURES_PER_MINUTE: '5', PICKUP_REDIS_PREFIX: `${env['PICKUP_REDIS_PREFIX']}cache-test:` },
      port: Number(new URL(gatewayUrl()).port) + 4,
    });
  }, 60_000);

  afterAll(() => replica?.stop());

  it('a deleted file stops resolving at once on every replica that remembered it', async () => {
    const { file, token } = await anonymousUpload();
    for (const baseUrl of [gatewayUrl(), replica.url]) {
      for (let i = 0; i < 3; i += 1) expect((await lookUp(baseUrl, file.code)).status).toBe(200);
    }
    expect(
      (await request('DELETE', `${gatewayUrl()}/api/v1/files/${file.id}`, { headers: bearer(token) })).status,
    ).toBe(204);
    for (const baseUrl of [gatewayUrl(), replica.url]) {
      const gone = await lookUp(baseUrl, file.code);
      expect([gone.status, json(gone)['error'].code]).toEqual([404, 'PICKUP_CODE_NOT_FOUND']);
    }
  });

  it('answers a remembered lookup exactly as the first one, headers included', async () => {
    const { file } = await anonymousUpload();
    const first = await lookUp(gatewayUrl(), file.code);
    const again = await lookUp(gatewayUrl(), file.code);
    const comparable = (headers: Record<string, unknown>) => {
      const { date: _date, 'x-request-id': _id, ...rest } = headers;
      return rest;
    };
    expect(again.status).toBe(first.status);
    expect(again.body.toString()).toBe(first.body.toString());
    expect(comparable(again.headers)).toEqual(comparable(first.headers));
    expect(json(again)['file']).toEqual({
      name: file.name,
      size: file.size,
      mimeType: file.mimeType,
      expiresAt: file.expiresAt,
    });
  });

  it('still refuses a locked-out source a code the gateway remembers', async () => {
    const { file } = await anonymousUpload();
    const someone = { 'x-forwarded-for': `203.0.113.${randomInt(1, 255)}` };
    const guesser = { 'x-forwarded-for': `198.18.${randomInt(0, 255)}.${randomInt(1, 255)}` };
    expect((await lookUp(replica.url, file.code, someone)).status).toBe(200);
    expect((await lookUp(replica.url, file.code, guesser)).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await lookUp(replica.url, 'ZZZZZZ', guesser)).status).toBe(404);
    const refused = await lookUp(replica.url, file.code, guesser);
    expect([refused.status, json(refused)['error'].code]).toEqual([429, 'RATE_LIMITED']);
    expect((await lookUp(replica.url, file.code, someone)).status).toBe(200);
  });

  it('never answers a PIN-protected file from memory, not even after a right PIN', async () => {
    const { file } = await anonymousUpload({ pin: '482916' });
    expect((await lookUp(gatewayUrl(), file.code, { 'x-pickup-pin': '482916' })).status).toBe(200);
    const bare = await lookUp(gatewayUrl(), file.code);
    expect([bare.status, json(bare)['error'].code]).toEqual([401, 'PIN_REQUIRED']);
  });

  it('a file whose last download was taken stops resolving at once', async () => {
    const { file } = await anonymousUpload({ downloadLimit: '1' });
    expect((await lookUp(gatewayUrl(), file.code)).status).toBe(200);
    expect((await lookUp(gatewayUrl(), file.code)).status).toBe(200);
    const taken = await download(`${gatewayUrl()}/api/v1/files/pickup/${file.code}/download`);
    expect(taken.status).toBe(200);
    expect((await lookUp(gatewayUrl(), file.code)).status).toBe(404);
  });
});

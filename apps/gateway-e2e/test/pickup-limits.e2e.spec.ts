import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import { startGateway, type GatewayReplica } from '../../../tools/platform/platform.mjs';
import { bearer, postJson, register } from './support/accounts.js';
import {
  api,
  download,
  eventually,
  gatewayUrl,
  json,
  patternStream,
  request,
  sha256Of,
  uploadMultipart,
  type RawResponse,
  sourceAddresses,
  wrongPickupCode,
} from './support/e2e.js';

// The pickup-code policy (PC-02, PC-03, PC-05) through real gateway replicas that this file
// starts with production limits and Redis counters of their own: the shared e2e gateway runs
// with relaxed limits (global-setup.mjs), so no other test file is ever limited. One replica
// has the default global budget; the other a budget of 3, to trip it here.
const env = () => JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
const mainPort = () => Number(new URL(gatewayUrl()).port);
const run = randomBytes(4).toString('hex');
const replicaEnv = (name: string, extra: Record<string, string> = {}) => ({
  ...env(),
  PICKUP_FAILURES_PER_MINUTE: '5',
  PICKUP_FAILURES_PER_HOUR: '20',
  PICKUP_GLOBAL_FAILURE_BUDGET: '1000',
  PICKUP_REDIS_PREFIX: `lexy:e2e:${run}:${name}:`,
  ...extra,
});

let limited: GatewayReplica;
let budgeted: GatewayReplica;
const budgetedLogs: string[] = [];
let code: string;

/** A fresh source behind the trusted proxy (127.0.0.1) for each caller a test needs. */
const ipv4 = sourceAddresses();
const from = (address: string) => ({ 'x-forwarded-for': address });

const lookup = (replica: GatewayReplica, candidate: string, headers: http.OutgoingHttpHeaders = {}) =>
  request('GET', `${replica.url}/api/v1/files/pickup/${encodeURIComponent(candidate)}`, { headers });

/** A lookup over a connection from another loopback address: a peer that is no trusted proxy. */
function lookupFrom(localAddress: string, candidate: string, headers: http.OutgoingHttpHeaders) {
  return new Promise<RawResponse>((resolve, reject) => {
    const outgoing = http.request(
      `${limited.url}/api/v1/files/pickup/${candidate}`,
      { headers, localAddress, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    outgoing.on('error', reject).end();
  });
}

async function failFiveTimes(replica: GatewayReplica, headers: () => http.OutgoingHttpHeaders) {
  for (let i = 0; i < 5; i += 1) {
    const response = await lookup(replica, wrongPickupCode(), headers());
    expect(response.status).toBe(404);
  }
}

function expectRateLimited(response: RawResponse, limit = 'per-minute') {
  expect(response.status).toBe(429);
  const { error } = json(response);
  expect(error).toEqual({ code: 'RATE_LIMITED', message: expect.any(String), details: expect.any(Object) });
  expect(error.details).toEqual({ limit, retryAfterSeconds: expect.any(Number) });
  expect(response.headers['retry-after']).toBe(String(error.details.retryAfterSeconds));
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
}

async function solved(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('the challenge was not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

beforeAll(async () => {
  const uploaded = await uploadMultipart(patternStream(1_000, 'pickup-limits'), { filename: 'limits.txt' });
  expect(uploaded.status).toBe(201);
  code = json(uploaded).file.code;
  [limited, budgeted] = await Promise.all([
    startGateway({ env: replicaEnv('limited'), port: mainPort() + 5 }),
    startGateway({
      env: replicaEnv('budgeted', { PICKUP_GLOBAL_FAILURE_BUDGET: '3', PICKUP_CHALLENGE_MAX_COUNTER: '500' }),
      port: mainPort() + 6,
      log: (_name, line) => budgetedLogs.push(line),
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([limited?.stop(), budgeted?.stop()]);
});

describe('per-source limits (PC-02)', () => {
  it('refuses the 6th lookup of a minute with 429 and Retry-After, also for a correct code; other sources are fine', async () => {
    const source = ipv4();
    await failFiveTimes(limited, () => from(source));
    expectRateLimited(await lookup(limited, wrongPickupCode(), from(source)));
    const correct = await lookup(limited, code, from(source));
    expectRateLimited(correct);

    // another address behind the same trusted proxy has its own counters
    const other = ipv4();
    expect((await lookup(limited, code, from(other))).status).toBe(200);
    expect((await lookup(limited, wrongPickupCode(), from(other))).status).toBe(404);
  });

  it('keys IPv6 by /64: rotating addresses inside it does not help', async () => {
    const net64 = `2001:db8:${randomInt(0, 0xffff).toString(16)}:${randomInt(0, 0xffff).toString(16)}`;
    let host = 1;
    await failFiveTimes(limited, () => from(`${net64}::${(host++).toString(16)}`));
    expectRateLimited(await lookup(limited, code, from(`${net64}::beef`)));
    expect((await lookup(limited, code, from(`2001:db8:ffff:${randomInt(0, 0xfff).toString(16)}::1`))).status).toBe(
      200,
    );
  });

  it('charges the account of a token and a device fingerprint too, wherever they come from', async () => {
    const anonymous = json(await postJson('/auth/anonymous', {}, from(ipv4())));
    await failFiveTimes(limited, () => ({ ...from(ipv4()), ...bearer(anonymous.accessToken) }));
    expectRateLimited(await lookup(limited, code, { ...from(ipv4()), ...bearer(anonymous.accessToken) }));

    const device = { 'x-device-fingerprint': `e2e-device-${randomBytes(8).toString('hex')}` };
    await failFiveTimes(limited, () => ({ ...from(ipv4()), ...device }));
    expectRateLimited(await lookup(limited, code, { ...from(ipv4()), ...device }));
    expect((await lookup(limited, code, from(ipv4()))).status).toBe(200);
  });

  it('lets share-link lookups (?t=) through: the token, not the code, is what they guess', async () => {
    const uploaded = json(await uploadMultipart(patternStream(10, 'shared'), { filename: 'shared.txt' })).file;
    const token = new URL(uploaded.shareUrl).searchParams.get('t');
    const source = ipv4();
    await failFiveTimes(limited, () => from(source));
    const viaLink = await request('GET', `${limited.url}/api/v1/files/pickup/${uploaded.code}?t=${token}`, {
      headers: from(source),
    });
    expect(viaLink.status).toBe(200);
    const wrongToken = await request('GET', `${limited.url}/api/v1/files/pickup/${uploaded.code}?t=${'A'.repeat(22)}`, {
      headers: from(source),
    });
    expect(wrongToken.status).toBe(404);
    expectRateLimited(await lookup(limited, uploaded.code, from(source)));
  });

  it('limits the download route by the same counters', async () => {
    const source = ipv4();
    await failFiveTimes(limited, () => from(source));
    const download = await request('GET', `${limited.url}/api/v1/files/pickup/${code}/download`, {
      headers: from(source),
    });
    expectRateLimited(download);
  });
});

describe('forwarded headers cannot rotate the key (PC-03)', () => {
  it('ignores X-Forwarded-For, X-Real-IP and Forwarded from a peer that is not a trusted proxy', async () => {
    // 127.0.0.x is loopback too, but only 127.0.0.1 is a trusted proxy on the e2e platform.
    const peer = `127.0.${randomInt(1, 250)}.${randomInt(2, 250)}`;
    const spoofed = () => {
      const fake = ipv4();
      return { 'x-forwarded-for': fake, 'x-real-ip': fake, forwarded: `for=${fake}`, 'cf-connecting-ip': fake };
    };
    for (let i = 0; i < 5; i += 1) expect((await lookupFrom(peer, wrongPickupCode(), spoofed())).status).toBe(404);
    expectRateLimited(await lookupFrom(peer, code, spoofed()));
  });

  it('behind the trusted proxy, takes the hop the proxy appended, not what the client prepended', async () => {
    const real = ipv4();
    await failFiveTimes(limited, () => from(`${ipv4()}, ${real}`));
    expectRateLimited(await lookup(limited, code, from(`${ipv4()}, ${real}`)));
  });
});

describe('uniform answers for unusable codes (PC-05)', () => {
  it('answers never-existed, deleted and malformed codes with the same 404, body and headers', async () => {
    const owner = json(await postJson('/auth/anonymous', {}, from(ipv4())));
    const uploaded = await uploadMultipart(patternStream(100, 'deleted'), { headers: bearer(owner.accessToken) });
    const deleted = json(uploaded).file;
    expect((await request('DELETE', api(`/files/${deleted.id}`), { headers: bearer(owner.accessToken) })).status).toBe(
      204,
    );

    const answers = [];
    for (const candidate of [wrongPickupCode(), deleted.code, 'abc', 'UUUUUU', '..%2F..%2Fetc']) {
      for (const path of ['', '/download']) {
        const response = await request('GET', `${limited.url}/api/v1/files/pickup/${candidate}${path}`, {
          headers: from(ipv4()), // a fresh source for each, so none is limited
        });
        answers.push({ candidate, path, response });
      }
    }
    const comparable = (response: RawResponse) => {
      const { date: _date, 'x-request-id': _id, ...headers } = response.headers;
      return { status: response.status, headers, body: response.body.toString() };
    };
    const first = comparable(answers[0]!.response);
    expect(first.status).toBe(404);
    expect(JSON.parse(first.body).error.code).toBe('PICKUP_CODE_NOT_FOUND');
    for (const { response } of answers) expect(comparable(response)).toEqual(first);
  });
});

describe('global failure budget and proof of work', () => {
  it('past the budget, anonymous lookups answer 428 with a challenge; a solution is accepted once', async () => {
    for (let i = 0; i < 3; i += 1) expect((await lookup(budgeted, wrongPickupCode(), from(ipv4()))).status).toBe(404);
    expect((await lookup(budgeted, wrongPickupCode(), from(ipv4()))).status).toBe(428);
    // Registered users need no challenge. Their failures take the count to twice the budget,
    // so it stays exceeded even if an hour begins now (the last hour's failures then count in
    // proportion to the part of it still in the sliding window).
    const user = await register(undefined, undefined, from(ipv4()));
    for (let i = 0; i < 3; i += 1) {
      const response = await lookup(budgeted, wrongPickupCode(), { ...from(ipv4()), ...bearer(user.accessToken) });
      expect(response.status).toBe(404);
    }
    const alerts = await eventually(
      async () => budgetedLogs.filter((line) => /failure budget tripped/.test(line)),
      (found) => found.length > 0,
    );
    expect(alerts.length).toBeGreaterThanOrEqual(1);

    const source = from(ipv4());
    const refused = await lookup(budgeted, code, source);
    expect(refused.status).toBe(428);
    const { error } = json(refused);
    expect(error.code).toBe('CHALLENGE_REQUIRED');
    expect(error.details).toMatchObject({ reason: 'missing', header: 'X-Pickup-Challenge' });

    const solution = await solved(error.details.challenge as Challenge);
    const accepted = await lookup(budgeted, code, { ...source, 'x-pickup-challenge': solution });
    expect(accepted.status).toBe(200);
    expect(json(accepted).file.name).toBe('limits.txt');

    const replayed = await lookup(budgeted, code, { ...source, 'x-pickup-challenge': solution });
    expect(replayed.status).toBe(428);
    expect(json(replayed).error.details.reason).toBe('used');

    const fresh = await solved(json(replayed).error.details.challenge as Challenge);
    const tampered = Buffer.from(fresh, 'base64')
      .toString()
      .replace(/"derivedKey":"[0-9a-f]+"/, `"derivedKey":"${'00'.repeat(32)}"`);
    const invalid = await lookup(budgeted, code, {
      ...source,
      'x-pickup-challenge': Buffer.from(tampered).toString('base64'),
    });
    expect(json(invalid).error.details.reason).toBe('invalid');
  });

  it('serves challenges at /files/pickup-challenge; anonymous tokens need one, registered users do not', async () => {
    const served = await request('GET', `${budgeted.url}/api/v1/files/pickup-challenge`);
    expect(served.status).toBe(200);
    expect(served.headers['cache-control']).toBe('no-store');
    const { challenge } = json(served);

    const anonymous = json(await postJson('/auth/anonymous', {}, from(ipv4())));
    const asAnonymous = { ...from(ipv4()), ...bearer(anonymous.accessToken) };
    expect((await lookup(budgeted, code, asAnonymous)).status).toBe(428);
    const solution = await solved(challenge as Challenge);
    expect((await lookup(budgeted, code, { ...asAnonymous, 'x-pickup-challenge': solution })).status).toBe(200);

    const user = await register(undefined, undefined, from(ipv4()));
    expect((await lookup(budgeted, code, { ...from(ipv4()), ...bearer(user.accessToken) })).status).toBe(200);
  });

  it('a plain download link cannot carry a solution: the client solves once for a download pass, and the link with ?pass= streams', async () => {
    const source = from(ipv4());
    const downloadUrl = `${budgeted.url}/api/v1/files/pickup/${code}/download`;
    expect((await request('GET', downloadUrl, { headers: source })).status).toBe(428);

    const passUrl = `${budgeted.url}/api/v1/files/pickup/${code}/download-pass`;
    const refused = await request('POST', passUrl, { headers: source });
    expect(json(refused).error.code).toBe('CHALLENGE_REQUIRED');
    const solution = await solved(json(refused).error.details.challenge as Challenge);
    const issued = await request('POST', passUrl, { headers: { ...source, 'x-pickup-challenge': solution } });
    expect(issued.status).toBe(201);
    expect(json(issued).expiresIn).toBe(60);

    const fetched = await download(`${downloadUrl}?pass=${json(issued).pass as string}`, source);
    expect(fetched.status).toBe(200);
    expect(fetched.sha256).toBe(await sha256Of(patternStream(1_000, 'pickup-limits')));
    // A forged pass skips the limits only to meet the uniform 404, before any code is looked up.
    const forged = await request('GET', `${downloadUrl}?pass=${'A'.repeat(43)}`, { headers: source });
    expect([forged.status, json(forged).error.code]).toEqual([404, 'PICKUP_CODE_NOT_FOUND']);
  });
});

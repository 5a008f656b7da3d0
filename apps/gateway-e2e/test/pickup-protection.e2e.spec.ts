import { createHash, randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import http from 'node:http';
import {
  api,
  download,
  json,
  patternStream,
  query,
  request,
  settledTraffic,
  sha256Of,
  uploadMultipart,
} from './support/e2e.js';
import { bearer, postJson, register } from './support/accounts.js';

const PIN = '731905';

/** One source address per call site: the e2e gateway believes X-Forwarded-For from 127.0.0.1. */
const source = (a = randomInt(0, 256), b = randomInt(1, 255)) => ({ 'x-forwarded-for': `203.0.${a}.${b}` });

async function anonymousToken(): Promise<string> {
  const response = await postJson('/auth/anonymous', {});
  expect(response.status).toBe(200);
  return json(response).accessToken as string;
}

interface Uploaded {
  file: Record<string, any>;
  token: string;
  sha256: string;
}

/** Uploads `size` pattern bytes as an anonymous token holder, with the given form fields. */
async function upload(fields: Record<string, string>, size = 200_000, seed = 'pickup-protection'): Promise<Uploaded> {
  const token = await anonymousToken();
  const response = await uploadMultipart(patternStream(size, seed), {
    filename: 'secret plans.pdf',
    fields,
    headers: bearer(token),
  });
  expect(response.status).toBe(201);
  return { file: json(response).file, token, sha256: await sha256Of(patternStream(size, seed)) };
}

/** The code and token of a share link, to call the API the web page would call. */
function linkParts(shareUrl: string): { code: string; t: string } {
  const url = new URL(shareUrl);
  const match = /^\/p\/([^/]+)$/.exec(url.pathname);
  if (!match?.[1] || !url.searchParams.get('t')) throw new Error(`not a share link: ${shareUrl}`);
  return { code: decodeURIComponent(match[1]), t: url.searchParams.get('t') ?? '' };
}

const pickup = (code: string, headers: http.OutgoingHttpHeaders = {}, search = '') =>
  request('GET', api(`/files/pickup/${code}${search}`), { headers });

describe('PC-07: a PIN checked by the server, locking (code, source) and never burning the code', () => {
  it('(a) shows nothing without the PIN: no name, size or list, on metadata and download alike', async () => {
    const { file } = await upload({ pin: PIN });
    expect(file.pinProtected).toBe(true);
    for (const path of [`/files/pickup/${file.code}`, `/files/pickup/${file.code}/download`]) {
      const response = await request('GET', api(path), { headers: source() });
      expect(response.status).toBe(401);
      const body = json(response);
      expect(body.error.code).toBe('PIN_REQUIRED');
      const raw = response.body.toString('utf8');
      for (const secret of ['secret plans', 'pdf', String(file.size), file.sha256]) expect(raw).not.toContain(secret);
      expect(response.headers['content-disposition']).toBeUndefined();
      expect(response.headers['x-file-sha256']).toBeUndefined();
    }
    // Putting the PIN in the URL does not count: it travels in the header only.
    expect(json(await pickup(file.code, source(), `?pin=${PIN}`)).error.code).toBe('PIN_REQUIRED');

    const wrong = await pickup(file.code, { ...source(), 'x-pickup-pin': '000000' });
    expect([wrong.status, json(wrong).error.code]).toEqual([401, 'PIN_INVALID']);
    const right = await pickup(file.code, { ...source(), 'x-pickup-pin': PIN });
    expect(right.status).toBe(200);
    expect(json(right).file).toEqual(expect.objectContaining({ name: 'secret plans.pdf', size: file.size }));
  });

  it('(b) 6 wrong PINs from one source, then the right one → 429 with Retry-After; another source still gets in', async () => {
    const { file } = await upload({ pin: PIN });
    const attacker = source();
    const codes = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await pickup(file.code, { ...attacker, 'x-pickup-pin': `10000${i}` });
      codes.push(json(response).error.code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('PIN_INVALID'));
    expect(codes[5]).toBe('RATE_LIMITED');

    const locked = await pickup(file.code, { ...attacker, 'x-pickup-pin': PIN });
    expect(locked.status).toBe(429);
    expect(json(locked).error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(3000);
    const lockedDownload = await request('GET', api(`/files/pickup/${file.code}/download`), {
      headers: { ...attacker, 'x-pickup-pin': PIN },
    });
    expect(lockedDownload.status).toBe(429);

    // The lock is this code's and this source's: recorded in the database, and nobody else's.
    const [counter] = await query<{ failures: number; locked: number }>(
      'files',
      'SELECT failures, locked_until > UTC_TIMESTAMP(3) AS locked FROM pin_attempts WHERE file_id = ?',
      [file.id],
    );
    expect(counter).toEqual({ failures: 5, locked: 1 });
    expect((await pickup(file.code, { ...source(), 'x-pickup-pin': PIN })).status).toBe(200);
  });

  it('(c) wrong PINs from 50 sources lock the code-only PIN path, while a link-token holder still downloads', async () => {
    const { file, sha256 } = await upload({ pin: PIN });
    const a = randomInt(0, 256);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        pickup(file.code, { ...source(a, index + 1), 'x-pickup-pin': '999999' }).then(
          (response) => `${response.status} ${json(response).error.code}`,
        ),
      ),
    );
    const tally = (value: string) => outcomes.filter((outcome) => outcome === value).length;
    expect(tally('401 PIN_INVALID')).toBe(10);
    expect(tally('401 PIN_INVALID') + tally('429 RATE_LIMITED') + tally('428 CHALLENGE_REQUIRED')).toBe(50);

    // A new source with the right PIN but only the code: locked for the hour.
    const codeOnly = await pickup(file.code, { ...source(), 'x-pickup-pin': PIN });
    expect([codeOnly.status, json(codeOnly).error.code]).toEqual([429, 'RATE_LIMITED']);

    // Whoever holds the share link is not held back, and gets the very bytes.
    const { t } = linkParts(file.shareUrl);
    const fetched = await download(api(`/files/pickup/${file.code}/download?t=${encodeURIComponent(t)}`), {
      ...source(),
      'x-pickup-pin': PIN,
    });
    expect(fetched.status).toBe(200);
    expect(fetched.sha256).toBe(sha256);

    // The code itself is not burned: still resolvable, and its owner sees it still active.
    const [row] = await query<{ status: string; pin_failures: number }>(
      'files',
      'SELECT status, pin_failures FROM files WHERE id = ?',
      [file.id],
    );
    expect(row).toEqual({ status: 'active', pin_failures: 10 });
  });

  it('(c) after 30 failures over its lifetime the PIN path closes until the owner reopens it', async () => {
    const { file, token } = await upload({ pin: PIN });
    // Arrange 29 past failures (as over three hours) rather than wait for the hourly locks to end.
    await query('files', 'UPDATE files SET pin_failures_total = 29 WHERE id = ?', [file.id]);
    expect(json(await pickup(file.code, { ...source(), 'x-pickup-pin': '424242' })).error.code).toBe('PIN_INVALID');
    const closed = await pickup(file.code, { ...source(), 'x-pickup-pin': PIN });
    expect([closed.status, json(closed).error.code]).toEqual([423, 'PIN_LOCKED']);

    const own = json(await request('GET', api(`/files/${file.id}`), { headers: bearer(token) }));
    expect(own.file.pinLocked).toBe(true);
    const stranger = await request('POST', api(`/files/${file.id}/pin/reopen`), {
      headers: bearer(await anonymousToken()),
    });
    expect(stranger.status).toBe(404);
    const reopened = await request('POST', api(`/files/${file.id}/pin/reopen`), { headers: bearer(token) });
    expect(reopened.status).toBe(200);
    expect(json(reopened).file.pinLocked).toBe(false);
    expect((await pickup(file.code, { ...source(), 'x-pickup-pin': PIN })).status).toBe(200);
  });

  it('(d) stores only an argon2id hash of the PIN', async () => {
    const { file } = await upload({ pin: PIN });
    const [row] = await query<Record<string, unknown>>('files', 'SELECT * FROM files WHERE id = ?', [file.id]);
    expect(String(row?.['pin_hash'])).toMatch(/^\$argon2id\$v=19\$/);
    expect(JSON.stringify(row)).not.toContain(PIN);
  });

  it('takes the PIN from PUT /files/:name as X-Pickup-Pin, and refuses malformed PINs or a late pin field', async () => {
    const put = await request('PUT', api('/files/raw.bin'), {
      headers: { 'x-pickup-pin': PIN, 'content-length': '3', authorization: `Bearer ${await anonymousToken()}` },
      body: Buffer.from('abc'),
    });
    expect(put.status).toBe(201);
    expect(json(put).file.pinProtected).toBe(true);
    expect((await pickup(json(put).file.code, source())).status).toBe(401);

    // Whole small bodies, so the early 400 cannot cut a streaming request short (EPIPE).
    const form = (parts: Array<[string, string]>) => ({
      headers: { 'content-type': 'multipart/form-data; boundary=x', ...source() },
      body:
        parts
          .map(([name, value]) =>
            name === 'file'
              ? `--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n${value}\r\n`
              : `--x\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
          )
          .join('') + '--x--\r\n',
    });
    for (const pin of ['12345', '1234567890123', '12345a']) {
      const refused = await request(
        'POST',
        api('/files'),
        form([
          ['pin', pin],
          ['file', 'abc'],
        ]),
      );
      expect([refused.status, json(refused).error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const late = await request(
      'POST',
      api('/files'),
      form([
        ['file', 'abc'],
        ['pin', PIN],
      ]),
    );
    expect(json(late).error).toEqual(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: { fields: ['pin'] } }),
    );
  });
});

describe('download passes: a PIN-protected file through a plain link', () => {
  const passFor = (code: string, headers: http.OutgoingHttpHeaders = {}, search = '') =>
    request('POST', api(`/files/pickup/${code}/download-pass${search}`), { headers });

  it('issues a single-use pass only for the right PIN; the link with ?pass= streams the file once', async () => {
    const { file, sha256 } = await upload({ pin: PIN });
    const caller = source();
    expect(json(await passFor(file.code, caller)).error.code).toBe('PIN_REQUIRED');
    expect(json(await passFor(file.code, { ...caller, 'x-pickup-pin': '000000' })).error.code).toBe('PIN_INVALID');

    const issued = await passFor(file.code, { ...caller, 'x-pickup-pin': PIN });
    expect(issued.status).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    const { pass, expiresIn } = json(issued);
    expect(expiresIn).toBe(60);
    expect(pass).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const link = api(`/files/pickup/${file.code}/download?pass=${pass}`);
    const fetched = await download(link, caller);
    expect([fetched.status, fetched.sha256]).toEqual([200, sha256]);
    expect(fetched.headers['content-disposition']).toContain('secret%20plans.pdf');
    // Used once, it is gone: a replay (a leaked URL) gets the uniform 404.
    const replayed = await request('GET', link, { headers: caller });
    expect([replayed.status, json(replayed).error.code]).toEqual([404, 'PICKUP_CODE_NOT_FOUND']);
  });

  it('makes the download the pass holder’s: a signed-in person’s link download counts to their own traffic', async () => {
    const { file } = await upload({ pin: PIN });
    const person = await register();
    const issued = await passFor(file.code, { ...source(), 'x-pickup-pin': PIN, ...bearer(person.accessToken) });
    expect(issued.status).toBe(201);
    // The link carries no token, as a browser's plain link does not.
    const fetched = await download(
      api(`/files/pickup/${file.code}/download?pass=${json(issued).pass as string}`),
      source(),
    );
    expect(fetched.status).toBe(200);
    expect(await settledTraffic(person.user.id)).toBe(file.size);
  });

  it('binds a pass to its code and its link token, and leaves neither pass nor PIN readable in Redis', async () => {
    const { file, sha256 } = await upload({ pin: PIN });
    const other = await upload({});
    const caller = source();
    const issue = async () => json(await passFor(file.code, { ...caller, 'x-pickup-pin': PIN })).pass as string;

    // Spent on another code: refused there, and spent.
    const misused = await issue();
    const elsewhere = await request('GET', api(`/files/pickup/${other.file.code}/download?pass=${misused}`), {
      headers: caller,
    });
    expect(json(elsewhere).error.code).toBe('PICKUP_CODE_NOT_FOUND');
    const spent = await request('GET', api(`/files/pickup/${file.code}/download?pass=${misused}`), { headers: caller });
    expect(spent.status).toBe(404);

    const pass = await issue();
    const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`*download-pass:*`);
      const values = await Promise.all(keys.map((key) => redis.get(key)));
      expect(keys.length).toBeGreaterThan(0);
      for (const stored of [...keys, ...values]) {
        expect(stored).not.toContain(pass);
        expect(Buffer.from(stored ?? '', 'base64').toString('latin1')).not.toContain(PIN);
      }
    } finally {
      redis.disconnect();
    }
    const fetched = await download(api(`/files/pickup/${file.code}/download?pass=${pass}`), caller);
    expect([fetched.status, fetched.sha256]).toEqual([200, sha256]);

    // A pass asked for with the share link's token is made only when the token belongs to the code.
    const { t } = linkParts(file.shareUrl);
    const wrongLink = await passFor(other.file.code, caller, `?t=${t}`);
    expect(json(wrongLink).error.code).toBe('PICKUP_CODE_NOT_FOUND');
    const linked = await passFor(file.code, { ...caller, 'x-pickup-pin': PIN }, `?t=${t}`);
    expect(linked.status).toBe(201);
    const viaLink = await download(
      api(`/files/pickup/${file.code}/download?pass=${json(linked).pass as string}`),
      caller,
    );
    expect([viaLink.status, viaLink.sha256]).toEqual([200, sha256]);
  });
});

describe('share links', () => {
  it('give the owner shareUrl = PUBLIC_URL/p/<code>?t=<token>, which resolves; a wrong t → the uniform 404', async () => {
    const { file, sha256 } = await upload({});
    expect(file.shareUrl).toMatch(/^http:\/\/localhost:8080\/p\/[0-9A-HJKMNP-TV-Z]{6}\?t=[A-Za-z0-9_-]{22}$/);
    const { code, t } = linkParts(file.shareUrl);
    expect(code).toBe(file.code);

    const meta = await pickup(code, source(), `?t=${t}`);
    expect(meta.status).toBe(200);
    expect(json(meta).file.name).toBe('secret plans.pdf');
    const fetched = await download(api(`/files/pickup/${code}/download?t=${t}`), source());
    expect([fetched.status, fetched.sha256]).toEqual([200, sha256]);

    // What a guess looks like: guessing limits skip requests that carry t, so a wrong t must never resolve.
    const unknown = await pickup('ZZZZZZ', source());
    expect(unknown.status).toBe(404);
    const other = await upload({});
    const flipped = `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`;
    for (const wrong of [flipped, linkParts(other.file.shareUrl).t, 'x', 'A'.repeat(22)]) {
      for (const path of [`/files/pickup/${code}?t=${wrong}`, `/files/pickup/${code}/download?t=${wrong}`]) {
        const response = await request('GET', api(path), { headers: source() });
        expect(response.status).toBe(404);
        expect(json(response).error).toEqual({ ...json(unknown).error, requestId: json(response).error.requestId });
      }
    }
    // The right token for another code does not open this one either.
    expect((await pickup(other.file.code, source(), `?t=${t}`)).status).toBe(404);
  });

  it('are shown only to the owner (GET /files/:id), never on pickup', async () => {
    const { file } = await upload({});
    const publicView = json(await pickup(file.code, source()));
    expect(JSON.stringify(publicView)).not.toContain(linkParts(file.shareUrl).t);
  });
});

describe('QR code of the share link', () => {
  it('GET /files/:id/qr.svg → an SVG for the owner, no-store and nosniff; 404 for anyone else', async () => {
    const { file, token } = await upload({});
    const response = await request('GET', api(`/files/${file.id}/qr.svg`), { headers: bearer(token) });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const svg = response.body.toString('utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toMatch(/<path [^>]*d="M/);
    expect(svg).not.toMatch(/<script/i);

    const stranger = await request('GET', api(`/files/${file.id}/qr.svg`), {
      headers: bearer(await anonymousToken()),
    });
    expect([stranger.status, json(stranger).error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await request('GET', api(`/files/${file.id}/qr.svg`))).status).toBe(401);
  });
});

describe('exact download limits', () => {
  it('20 concurrent downloads of a limit-1 file: exactly one full body, 19 uniform 404s', async () => {
    const size = 3_000_000;
    const { file, sha256, token } = await upload({ downloadLimit: '1' }, size, 'limit-race');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => download(api(`/files/pickup/${file.code}/download`), source())),
    );
    const winners = results.filter((result) => result.status === 200);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.sha256).toBe(sha256);
    expect(winners[0]?.bytes).toBe(size);
    const losers = results.filter((result) => result.status !== 200);
    expect(losers).toHaveLength(19);
    const bodies = losers.map((result) => JSON.parse(result.text).error);
    for (const body of bodies) {
      expect(body.code).toBe('PICKUP_CODE_NOT_FOUND');
      expect(body.message).toBe(bodies[0].message);
    }
    expect(losers.every((result) => result.status === 404)).toBe(true);
    const own = json(await request('GET', api(`/files/${file.id}`), { headers: bearer(token) }));
    expect(own.file.downloads).toBe(1);
  });

  it('DL-06: a download cut short resumes with its ticket after the limit is reached (206), counted once', async () => {
    const size = 2_000_000;
    const { file, sha256, token } = await upload({ downloadLimit: '1', pin: PIN }, size, 'resume');
    const who = { ...source(), 'x-pickup-pin': PIN };

    // The first request reads half of the body, then the connection drops.
    const { ticket, received } = await new Promise<{ ticket: string; received: Buffer }>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const outgoing = http.get(api(`/files/pickup/${file.code}/download`), { headers: who }, (response) => {
        expect(response.statusCode).toBe(200);
        const header = String(response.headers['x-download-ticket'] ?? '');
        response.on('data', (chunk: Buffer) => {
          if (length >= size / 2) return;
          chunks.push(chunk);
          length += chunk.length;
          if (length >= size / 2) {
            outgoing.destroy();
            resolve({ ticket: header, received: Buffer.concat(chunks) });
          }
        });
        response.on('error', () => undefined);
      });
      outgoing.on('error', () => undefined);
      setTimeout(() => reject(new Error('no half body')), 60_000).unref();
    });
    expect(ticket).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]+$/);

    // The limit is used up: without the ticket the code no longer resolves…
    expect((await pickup(`${file.code}/download`, who)).status).toBe(404);
    expect((await pickup(`${file.code}/download`, { ...who, range: `bytes=${received.length}-` })).status).toBe(404);
    // …and a full request is a new download, ticket or not.
    expect((await pickup(`${file.code}/download`, who, `?ticket=${ticket}`)).status).toBe(404);

    const rest = await request('GET', api(`/files/pickup/${file.code}/download?ticket=${ticket}`), {
      headers: { ...who, range: `bytes=${received.length}-` },
    });
    expect(rest.status).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes ${received.length}-${size - 1}/${size}`);
    expect(rest.headers['x-download-ticket']).toBeUndefined();
    const whole = Buffer.concat([received, rest.body]);
    expect(createHash('sha256').update(whole).digest('hex')).toBe(sha256);

    const own = json(await request('GET', api(`/files/${file.id}`), { headers: bearer(token) }));
    expect(own.file.downloads).toBe(1);

    // A forged or foreign ticket does not resume.
    const forged = `${ticket.split('.')[0]}.${'A'.repeat(43)}`;
    const refused = await request('GET', api(`/files/pickup/${file.code}/download?ticket=${forged}`), {
      headers: { ...who, range: 'bytes=10-' },
    });
    expect([refused.status, json(refused).error.code]).toEqual([404, 'PICKUP_CODE_NOT_FOUND']);
  });

  it('counts every download without a ticket, ranged or not, so ranges cannot get around the limit', async () => {
    const { file, token } = await upload({ downloadLimit: '2' }, 1000, 'ranges');
    expect((await pickup(`${file.code}/download`, { ...source(), range: 'bytes=500-' })).status).toBe(206);
    expect((await pickup(`${file.code}/download`, { ...source(), range: 'bytes=0-99' })).status).toBe(206);
    expect((await pickup(`${file.code}/download`, { ...source(), range: 'bytes=100-' })).status).toBe(404);
    const own = json(await request('GET', api(`/files/${file.id}`), { headers: bearer(token) }));
    expect(own.file.downloads).toBe(2);
  });
});

import { parse } from 'content-disposition';
import fc from 'fast-check';
import http from 'node:http';
import { api, download, json, newFingerprint, request, type RawResponse } from './support/e2e.js';
import { bearer, postJson } from './support/accounts.js';

async function anonymousToken(): Promise<string> {
  return json(await postJson('/auth/anonymous', {})).accessToken as string;
}

/** PUT /files/:name with `body`; dots are escaped too, so a name of dots stays one path segment. */
async function put(name: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const path = encodeURIComponent(name).replace(/\./g, '%2E');
  const response = await request('PUT', api(`/files/${path}`), {
    headers: {
      'x-device-fingerprint': newFingerprint(),
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    },
    body,
  });
  if (response.status !== 201) throw new Error(`upload of ${JSON.stringify(name)} answered ${response.status}`);
  return json(response).file as Record<string, any>;
}

/** Every Content-Disposition header line as sent, straight from the raw header list. */
function dispositionLines(raw: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'content-disposition') lines.push(raw[i + 1] ?? '');
  }
  return lines;
}

/** A GET that keeps the raw header list, to count header lines. */
function rawGet(url: string) {
  return new Promise<RawResponse & { raw: string[] }>((resolve, reject) => {
    http
      .get(url, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            raw: response.rawHeaders,
          }),
        );
      })
      .on('error', reject);
  });
}

describe('DL-01: files never run as code in the app’s origin', () => {
  const dangerous: Array<[string, string, string, string]> = [
    ['an HTML page', 'page.html', 'text/html', '<html><script>alert(1)</script></html>'],
    [
      'an SVG with script',
      'logo.svg',
      'image/svg+xml',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ],
    ['a .png that holds HTML', 'photo.png', 'image/png', '<html><script>alert(1)</script></html>'],
    [
      'XHTML',
      'page.xhtml',
      'application/xhtml+xml',
      '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    ],
    ['XML with XSL', 'data.xml', 'application/xml', '<?xml-stylesheet type="text/xsl" href="#"?><x/>'],
    ['JavaScript', 'app.js', 'text/javascript', 'alert(1)'],
    ['CSS', 'site.css', 'text/css', 'body{background:url(javascript:alert(1))}'],
    ['MHTML', 'page.mhtml', 'multipart/related', 'MIME-Version: 1.0\r\n\r\n<script>alert(1)</script>'],
  ];

  it.each(dangerous)(
    'serves %s as an attachment with the protective headers, on every route',
    async (_, name, type, body) => {
      const token = await anonymousToken();
      const file = await put(name, body, { 'content-type': type, ...bearer(token) });
      const urls: Array<[string, Record<string, string>]> = [
        [api(`/files/pickup/${file.code}/download`), {}],
        [api(`/files/pickup/${file.code}/download?inline=1`), { accept: 'text/html' }],
        [api(`/files/${file.id}/download?inline=true`), { ...bearer(token), accept: 'text/html,*/*' }],
      ];
      for (const [url, headers] of urls) {
        const response = await download(url, headers);
        expect(response.status).toBe(200);
        expect(response.headers['content-disposition']).toMatch(
          /^attachment; filename="[^"\r\n]*"; filename\*=UTF-8''/,
        );
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
        expect(response.headers['cross-origin-resource-policy']).toBe('same-site');
        expect(response.headers['cache-control']).toBe('no-store');
        // Types a browser would render as a document are served as opaque bytes.
        const served = String(response.headers['content-type']);
        expect(served).not.toMatch(/html|svg|xml|javascript|css|multipart|message/i);
        expect(response.text).toBe(body);
      }
    },
  );

  it('has no inline variants of the download routes, and the cache-deception path is a 404', async () => {
    const file = await put('page.html', '<html></html>', { 'content-type': 'text/html' });
    for (const path of [
      `/files/pickup/${file.code}/inline`,
      `/files/pickup/${file.code}/inline/page.html`,
      `/files/inline/pickup/${file.code}/download`,
      `/pickup/${file.code}/x.css`,
      `/files/pickup/${file.code}/download/x.css`,
    ]) {
      const response = await request('GET', api(path));
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['content-disposition']).toBeUndefined();
    }
  });
});

describe('DL-02: Content-Disposition encoding and header injection', () => {
  it('names from the attack list each give one well-formed header and no injected one', async () => {
    const names = [
      'a"b.txt',
      'a;b.txt',
      'x\r\nSet-Cookie: a=b',
      'nul\u0000.txt',
      '😀 party.png',
      'שלום.txt',
      'n'.repeat(1000),
      '%22.txt',
      '...',
    ];
    for (const name of names) {
      const file = await put(name, 'x');
      const response = await rawGet(api(`/files/pickup/${file.code}/download`));
      expect(response.status).toBe(200);
      const lines = dispositionLines(response.raw);
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toMatch(/[\r\n]/);
      expect(parse(lines[0] ?? '').parameters['filename']).toBe(file.name);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(Buffer.byteLength(lines[0] ?? '')).toBeLessThan(1200);
    }
  });

  it('holds for any Unicode name (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), async (name) => {
        const file = await put(name, 'x');
        const response = await rawGet(api(`/files/pickup/${file.code}/download`));
        expect(response.status).toBe(200);
        const lines = dispositionLines(response.raw);
        expect(lines).toHaveLength(1);
        const header = lines[0] ?? '';
        expect(header).not.toMatch(/[\r\n]/);
        const parsed = parse(header);
        expect(parsed.type).toBe('attachment');
        expect(parsed.parameters['filename']).toBe(file.name);
        expect(response.headers['set-cookie']).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });
});

describe('DL-04: Range requests', () => {
  const size = 1000;
  let code: string;

  beforeAll(async () => {
    code = (await put('ranges.bin', Buffer.alloc(size, 7))).code;
  });

  const ranged = (range: string) => request('GET', api(`/files/pickup/${code}/download`), { headers: { range } });

  it.each([
    ['bytes=0-0', 0, 0],
    ['bytes=-500', 500, 999],
    ['bytes=500-', 500, 999],
    ['bytes=990-5000', 990, 999],
  ])('serves the satisfiable range %s with 206 and its Content-Range', async (range, start, end) => {
    const response = await ranged(range);
    expect(response.status).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
    expect(response.body.length).toBe(end - start + 1);
    expect(response.headers['content-length']).toBe(String(end - start + 1));
  });

  it.each(['bytes=5-1', `bytes=${size}-`, 'bytes=-0'])(
    'answers the unsatisfiable range %s with 416 and Content-Range: bytes */size',
    async (range) => {
      const response = await ranged(range);
      expect(response.status).toBe(416);
      expect(json(response).error.code).toBe('RANGE_NOT_SATISFIABLE');
      expect(response.headers['content-range']).toBe(`bytes */${size}`);
    },
  );

  it('answers multi-range (1,000 overlapping ranges) and other units with the whole file', async () => {
    const many = `bytes=${Array.from({ length: 1000 }, (_, i) => `${i % 50}-${(i % 50) + 100}`).join(',')}`;
    for (const range of [many, 'items=0-5', 'bytes=0-1,5-6']) {
      const response = await ranged(range);
      expect(response.status).toBe(200);
      expect(response.body.length).toBe(size);
      expect(response.headers['content-range']).toBeUndefined();
    }
  });
});

import fc from 'fast-check';
import { Readable } from 'node:stream';
import { bearer, postJson } from './support/accounts.js';
import { api, bucketKeys, gatewayUrl, json, request, uploadMultipart } from './support/e2e.js';

// UP-01: names from the client are display metadata only, through tus and multipart alike; the
// object key is always the server's, and client-made ids reach nothing.

const HOSTILE_NAMES = [
  '../../etc/passwd',
  '..\\..\\win.ini',
  '%2e%2e%2f',
  '/abs',
  'a.txt\u0000.jpg',
  'CON',
  'aux.txt',
  'name.',
  'x'.repeat(1_000),
  '\u202Egnp.exe',
  'sub/../sub2/f',
  '',
];
const SERVER_KEY = /^files\/[0-9A-HJKMNP-TV-Z]{26}$/;
const TUS = { 'tus-resumable': '1.0.0' };

/** What any stored name must look like, whatever the client sent. */
function expectCleanName(name: string) {
  expect(name.length).toBeGreaterThan(0);
  expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(255);
  expect(name).not.toMatch(/[/\\]|[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|^[\s.]|[\s.]$/u);
  expect(name).not.toMatch(/^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$/i);
}

async function tusUploadNamed(headers: Record<string, string>, name: string) {
  const body = Buffer.from('up-01');
  const created = await request('POST', api('/uploads'), {
    headers: {
      ...TUS,
      ...headers,
      'upload-length': String(body.length),
      'upload-metadata': `filename ${Buffer.from(name, 'utf8').toString('base64')}`,
    },
  });
  expect(created.status).toBe(201);
  const path = new URL(String(created.headers['location']), gatewayUrl()).pathname;
  const patched = await request('PATCH', `${gatewayUrl()}${path}`, {
    headers: { ...TUS, ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body,
  });
  expect(patched.status).toBe(204);
  return json(await request('GET', api(`/files/by-upload/${path.split('/').pop()}`), { headers }))['file'];
}

/** Names the name an upload failed with, so a failure can be reproduced. */
const naming = (name: string) => (error: Error) => {
  throw new Error(`upload named ${JSON.stringify(name)} failed: ${error.message}`);
};

describe('names and ids from the client (UP-01)', () => {
  let headers: Record<string, string>;

  beforeAll(async () => {
    headers = bearer(json(await postJson('/auth/anonymous', {}))['accessToken'] as string);
  });

  it('cleans hostile and arbitrary names on both upload paths and keeps server-made object keys', async () => {
    const generated = fc.sample(fc.string({ unit: 'binary', maxLength: 300 }), { numRuns: 25, seed: 7 });
    for (const name of [...HOSTILE_NAMES, ...generated]) {
      expectCleanName((await tusUploadNamed(headers, name).catch(naming(name))).name);
    }
    for (const name of HOSTILE_NAMES) {
      const viaForm = await uploadMultipart(Readable.from([Buffer.from('up-01')]), { filename: name, headers }).catch(
        naming(name),
      );
      // A name the multipart syntax itself cannot carry is a 400 in the envelope, never a 500.
      if (viaForm.status !== 201) {
        expect([viaForm.status, json(viaForm)['error'].code]).toEqual([400, 'VALIDATION_FAILED']);
        continue;
      }
      // (The multipart parser keeps only the last path segment, as browsers send it; tus keeps the
      // whole name with separators replaced. Both are display names only.)
      expectCleanName(json(viaForm)['file'].name);
    }
    expect((await bucketKeys()).filter((key) => !SERVER_KEY.test(key))).toEqual([]);
  }, 120_000);

  it('answers client-made upload ids and concatenation with a refusal, never a 500', async () => {
    for (const path of ['/api/v1/uploads/..%2f..%2fx', '/api/v1/uploads/%2e%2e', '/api/v1/uploads/x?fileId=../../y']) {
      const response = await request('PATCH', `${gatewayUrl()}${path}`, {
        headers: { ...TUS, ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        body: Buffer.from('x'),
      });
      expect(response.status).toBe(404);
    }
    const concat = await request('POST', api('/uploads'), {
      headers: { ...TUS, ...headers, 'upload-concat': `final;${gatewayUrl()}/api/v1/uploads/someone-elses` },
    });
    expect(concat.status).toBeGreaterThanOrEqual(400);
    expect(concat.status).toBeLessThan(500);
  });
});

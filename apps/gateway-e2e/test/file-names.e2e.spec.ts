import { Readable } from 'node:stream';
import { api, download, json, newFingerprint, request, uploadMultipart } from './support/e2e.js';

// Names in UTF-8 survive every upload path intact (found when tried as a new user would:
// a browser's multipart upload of "résumé final.bin" came back as "rÃ©sumÃ© final.bin").
const NAME = 'résumé final – 日本語 ✓.bin';
const ENCODED = encodeURIComponent(NAME);

async function expectNameSurvives(file: Record<string, any>) {
  expect(file['name']).toBe(NAME);
  const pickup = json(await request('GET', api(`/files/pickup/${file['code']}`)));
  expect(pickup['file'].name).toBe(NAME);
  const downloaded = await download(api(`/files/pickup/${file['code']}/download`));
  expect(downloaded.headers['content-disposition']).toContain(`filename*=UTF-8''${ENCODED.replace(/'/g, '%27')}`);
}

describe('UTF-8 file names', () => {
  it('survive a browser-style multipart upload (raw UTF-8 in filename="…")', async () => {
    const response = await uploadMultipart(Readable.from([Buffer.from('cv')]), {
      filename: NAME,
      mimeType: 'application/pdf',
      headers: { 'x-device-fingerprint': newFingerprint() },
    });
    expect(response.status).toBe(201);
    await expectNameSurvives(json(response)['file']);
  });

  it('survive PUT /files/:name (curl -T percent-encodes the name)', async () => {
    const response = await request('PUT', api(`/files/${ENCODED}`), {
      headers: { 'x-device-fingerprint': newFingerprint(), 'content-length': '2' },
      body: Buffer.from('cv'),
    });
    expect(response.status).toBe(201);
    await expectNameSurvives(json(response)['file']);
  });
});

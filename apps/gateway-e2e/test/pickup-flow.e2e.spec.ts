import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import {
  api,
  download,
  json,
  newFingerprint,
  patternStream,
  request,
  sha256Of,
  uploadMultipart,
} from './support/e2e.js';

const MB = 1_000_000;

/** SHA-256 of bytes [start, end) of the uploaded pattern file. */
function patternSliceSha(size: number, start: number, end: number): Promise<string> {
  return sha256Of(
    (async function* () {
      let offset = 0;
      for await (const chunk of patternStream(size, 'pickup-100mb')) {
        const buffer = chunk as Buffer;
        const from = Math.max(0, start - offset);
        const to = Math.min(buffer.length, end - offset);
        if (from < to) yield buffer.subarray(from, to);
        offset += buffer.length;
        if (offset >= end) break;
      }
    })() as never,
  );
}

/** Downloads with a pause after every chunk it receives, as a client on a slow link would. */
function slowDownload(url: string, range: string): Promise<{ status?: number; bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { range } }, (response) => {
        const hash = createHash('sha256');
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          bytes += chunk.length;
          response.pause();
          setTimeout(() => response.resume(), 2);
        });
        response.on('end', () => resolve({ status: response.statusCode, bytes, sha256: hash.digest('hex') }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('anonymous pickup-code flow through the gateway', () => {
  const size = 100 * MB;
  let code: string;
  let expectedSha: string;

  beforeAll(async () => {
    expectedSha = await sha256Of(patternStream(size, 'pickup-100mb'));
    const uploaded = await uploadMultipart(patternStream(size, 'pickup-100mb'), {
      filename: 'holiday video.bin',
      headers: { 'x-device-fingerprint': newFingerprint() },
    });
    expect(uploaded.status).toBe(201);
    const { file } = json(uploaded);
    expect(file).toEqual(
      expect.objectContaining({ name: 'holiday video.bin', size, sha256: expectedSha, status: 'active', downloads: 0 }),
    );
    expect(file.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    code = file.code;
  });

  it('shows the metadata to anyone with the code, without owner data', async () => {
    const response = await request('GET', api(`/files/pickup/${code}`));
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = json(response);
    expect(Object.keys(body.file).sort()).toEqual(['expiresAt', 'mimeType', 'name', 'size']);
    expect(body.file.size).toBe(size);
    // anonymous retention is 15 minutes
    const ttl = new Date(body.file.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(10 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });

  it('downloads the same bytes (SHA-256) as an attachment, also with the code typed loosely', async () => {
    const loose = `${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`.replace(/0/g, 'o').replace(/1/g, 'l');
    const result = await download(api(`/files/pickup/${encodeURIComponent(loose)}/download`));
    expect(result.status).toBe(200);
    expect(result.bytes).toBe(size);
    expect(result.sha256).toBe(expectedSha);
    expect(result.headers['content-length']).toBe(String(size));
    expect(result.headers['content-disposition']).toBe(
      `attachment; filename="holiday video.bin"; filename*=UTF-8''holiday%20video.bin`,
    );
    expect(result.headers['x-content-type-options']).toBe('nosniff');
    expect(result.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(result.headers['accept-ranges']).toBe('bytes');
  });

  it('serves a byte range with 206, and refuses one outside the file with 416', async () => {
    const expected = await patternSliceSha(size, 5_000_000, 5_000_100);
    const partial = await download(api(`/files/pickup/${code}/download`), { range: 'bytes=5000000-5000099' });
    expect(partial.status).toBe(206);
    expect(partial.bytes).toBe(100);
    expect(partial.headers['content-range']).toBe(`bytes 5000000-5000099/${size}`);
    expect(partial.sha256).toBe(expected);

    const outside = await request('GET', api(`/files/pickup/${code}/download`), {
      headers: { range: `bytes=${size}-` },
    });
    expect(outside.status).toBe(416);
    expect(outside.headers['content-range']).toBe(`bytes */${size}`);
    expect(json(outside).error.code).toBe('RANGE_NOT_SATISFIABLE');
  });

  it('gives a client that reads slowly the same bytes', async () => {
    // The gateway reuses its few storage read buffers only once the client has taken a chunk;
    // a slow reader makes the gateway wait on every one of them.
    const [start, end] = [1_000_000, 41_000_000];
    const result = await slowDownload(api(`/files/pickup/${code}/download`), `bytes=${start}-${end - 1}`);
    expect(result).toEqual({ status: 206, bytes: end - start, sha256: await patternSliceSha(size, start, end) });
  });

  it('answers every unusable code with the same 404 envelope', async () => {
    const bodies = [];
    for (const candidate of ['ZZZZZZ', 'UUUUUU', 'abc', '../../etc']) {
      const response = await request('GET', api(`/files/pickup/${encodeURIComponent(candidate)}`));
      expect(response.status).toBe(404);
      bodies.push(json(response));
    }
    expect(bodies[0].error.code).toBe('PICKUP_CODE_NOT_FOUND');
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    const downloadMiss = await request('GET', api('/files/pickup/ZZZZZZ/download'));
    expect(json(downloadMiss)).toEqual(bodies[0]);
  });

  it('accepts an upload from curl -T and serves it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lexy-curl-'));
    const path = join(dir, 'notes.txt');
    await pipeline(patternStream(3 * MB + 17, 'curl'), createWriteStream(path));
    const { stdout } = await promisify(execFile)('curl', [
      '-sS',
      '-T',
      path,
      '-H',
      `X-Device-Fingerprint: ${newFingerprint()}`,
      `${api('/files/')}`,
    ]);
    const { file } = JSON.parse(stdout);
    expect(file.name).toBe('notes.txt');
    expect(file.size).toBe(3 * MB + 17);
    const fetched = await download(api(`/files/pickup/${file.code}/download`));
    expect(fetched.sha256).toBe(await sha256Of(patternStream(3 * MB + 17, 'curl')));
  });
});

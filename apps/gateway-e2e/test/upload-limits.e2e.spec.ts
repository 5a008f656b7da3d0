import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  api,
  bucketKeys,
  eventually,
  incompleteUploads,
  json,
  leftovers,
  newDevice,
  patternStream,
  request,
  uploadMultipart,
} from './support/e2e.js';

const ANONYMOUS_MAX = 500_000_000;
const nothingLeft = { uploads: 0, files: 0, reservations: 0, reservedBytes: 0, usedBytes: 0 };

describe('upload limits leave nothing behind', () => {
  it.each([ANONYMOUS_MAX + 1, 10_000_000_000])(
    'refuses a declared body of %i bytes over the anonymous maximum before reading it (413 FILE_TOO_LARGE)',
    async (declared) => {
      const device = newDevice();
      const keysBefore = await bucketKeys();
      const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const outgoing = http.request(api('/files/too-big.bin'), {
          method: 'PUT',
          headers: { 'content-length': String(declared), ...device.headers },
        });
        outgoing.on('response', (incoming) => {
          let body = '';
          incoming.on('data', (chunk) => (body += chunk));
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
        });
        outgoing.on('error', reject);
        outgoing.write(Buffer.alloc(1024)); // start sending, as a real client would
      });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body).error).toEqual(
        expect.objectContaining({ code: 'FILE_TOO_LARGE', details: { maxFileBytes: ANONYMOUS_MAX } }),
      );
      expect(await leftovers(device.owner, device.account)).toEqual(nothingLeft);
      expect(await bucketKeys()).toEqual(keysBefore);
    },
  );

  it('cuts a streamed body at the first byte over the maximum, whatever Content-Length says (413)', async () => {
    const device = newDevice();
    const keysBefore = await bucketKeys();
    // Chunked multipart body, no Content-Length: only the bytes themselves can tell.
    const response = await uploadMultipart(patternStream(ANONYMOUS_MAX + 1, 'too-big'), {
      headers: device.headers,
    });
    expect(response.status).toBe(413);
    expect(json(response).error.code).toBe('FILE_TOO_LARGE');
    expect(
      await eventually(
        () => leftovers(device.owner, device.account),
        (left) => left.reservations === 0,
      ),
    ).toEqual(nothingLeft);
    expect(await bucketKeys()).toEqual(keysBefore);
    expect(await incompleteUploads()).toEqual([]);
  });

  it('cleans up an upload that the client cuts off halfway', async () => {
    const device = newDevice();
    const keysBefore = await bucketKeys();
    await new Promise<void>((resolve) => {
      const outgoing = http.request(api('/files/cut-off.bin'), {
        method: 'PUT',
        headers: { 'content-length': String(60_000_000), ...device.headers },
      });
      outgoing.on('error', () => resolve());
      let sent = 0;
      const chunk = Buffer.alloc(1 << 20, 7);
      const pump = () => {
        while (sent < 30_000_000) {
          sent += chunk.length;
          if (!outgoing.write(chunk)) return outgoing.once('drain', pump);
        }
        // Halfway: the connection dies.
        setTimeout(() => {
          outgoing.destroy();
          resolve();
        }, 200);
      };
      pump();
    });
    // The server notices the dead connection and cleans up on its own.
    const left = await eventually(
      () => leftovers(device.owner, device.account),
      (value) => value.uploads === 0 && value.reservations === 0,
    );
    expect(left).toEqual(nothingLeft);
    expect(
      await eventually(
        () => incompleteUploads(),
        (uploads) => uploads.length === 0,
      ),
    ).toEqual([]);
    expect(await bucketKeys()).toEqual(keysBefore);
  });

  it('refuses a form field sent after the file part instead of ignoring it', async () => {
    const device = newDevice();
    const keysBefore = await bucketKeys();
    const path = join(mkdtempSync(join(tmpdir(), 'lexy-late-')), 'late.txt');
    writeFileSync(path, 'late field');
    const { stdout } = await promisify(execFile)('curl', [
      '-sS',
      '-H',
      `X-Device-Fingerprint: ${device.headers['x-device-fingerprint']}`,
      '-H',
      `X-Forwarded-For: ${device.headers['x-forwarded-for']}`,
      '-F',
      `file=@${path}`,
      '-F',
      'downloadLimit=2',
      api('/files'),
    ]);
    expect(JSON.parse(stdout).error).toEqual(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: { fields: ['downloadLimit'] } }),
    );
    expect(await leftovers(device.owner, device.account)).toEqual(nothingLeft);
    expect(await bucketKeys()).toEqual(keysBefore);
  });

  it('refuses a form without a file part with a 400 envelope', async () => {
    const response = await request('POST', api('/files'), {
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--x--\r\n',
    });
    expect(response.status).toBe(400);
    expect(json(response).error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a body that is not multipart on POST /files', async () => {
    const response = await request('POST', api('/files'), {
      headers: { 'content-type': 'application/json' },
      body: '{"file":"x"}',
    });
    expect(response.status).toBe(400);
    expect(json(response).error.code).toBe('VALIDATION_FAILED');
  });
});

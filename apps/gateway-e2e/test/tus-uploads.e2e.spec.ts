import { createHash, randomInt } from 'node:crypto';
import net from 'node:net';
import { Upload, type HttpResponse } from 'tus-js-client';
// The platform launcher is a dev tool run without a build.
import { startGateway } from '../../../tools/platform/platform.mjs';
import { postJson } from './support/accounts.js';
import {
  api,
  bucketKeys,
  download,
  eventually,
  gatewayUrl,
  incompleteUploads,
  json,
  leftovers,
  query,
  request,
} from './support/e2e.js';
import { startFaultProxy } from './support/fault-proxy.js';

const MIB = 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };
const nothingLeft = { uploads: 0, files: 0, reservations: 0, reservedBytes: 0, usedBytes: 0 };
const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A fresh anonymous identity: its token makes every request of one test the same owner. */
async function anonymous() {
  const session = json(await postJson('/auth/anonymous', {}));
  return { id: session['user'].id as string, headers: { authorization: `Bearer ${session['accessToken']}` } };
}

function fileBytes(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += 32) {
    createHash('sha256').update(`${seed}:${offset}`).digest().copy(data, offset);
  }
  return data;
}

/** Runs tus-js-client to the end; resolves with the response that completed the upload. */
function tusUpload(
  endpoint: string,
  data: Buffer,
  { headers, metadata }: { headers: Record<string, string>; metadata: Record<string, string> },
) {
  return new Promise<{ url: string; last: HttpResponse }>((resolve, reject) => {
    const upload: Upload = new Upload(data, {
      endpoint,
      headers,
      metadata,
      retryDelays: [0, 200, 500, 1_000, 2_000, 3_000],
      onError: reject,
      onSuccess: ({ lastResponse }) => resolve({ url: upload.url ?? '', last: lastResponse }),
    });
    upload.start();
  });
}

async function create(headers: Record<string, string>, length: number, metadata = `filename ${b64('f.bin')}`) {
  return request('POST', api('/uploads'), {
    headers: { ...TUS, ...headers, 'upload-length': String(length), 'upload-metadata': metadata },
  });
}

const uploadPath = (location: string | string[] | undefined) => new URL(String(location), gatewayUrl()).pathname;

function patch(
  path: string,
  headers: Record<string, string>,
  offset: number,
  body: Buffer,
  extra = {},
  base = gatewayUrl(),
) {
  return request('PATCH', `${base}${path}`, {
    headers: {
      ...TUS,
      ...headers,
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
      ...extra,
    },
    body,
  });
}

describe('tus resumable uploads', () => {
  it('uploads with tus-js-client: a UTF-8 name, the code in the completing response, the file by upload id', async () => {
    const owner = await anonymous();
    const data = fileBytes(3 * MIB + 17, 1);
    const { url, last } = await tusUpload(api('/uploads'), data, {
      headers: owner.headers,
      metadata: { filename: 'résumé final.bin', filetype: 'application/pdf', downloadLimit: '5' },
    });
    const code = last.getHeader('X-Pickup-Code');
    const fileId = last.getHeader('X-File-Id');
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);

    const uploadId = url.split('/').pop();
    const byUpload = await request('GET', api(`/files/by-upload/${uploadId}`), { headers: owner.headers });
    expect(byUpload.status).toBe(200);
    expect(json(byUpload)['file']).toMatchObject({
      id: fileId,
      name: 'résumé final.bin',
      size: data.length,
      sha256: sha256(data),
      code,
      downloadLimit: 5,
      mimeType: 'application/pdf',
      shareUrl: expect.stringContaining(`/p/${code}?t=`),
    });

    const pickedUp = await download(api(`/files/pickup/${code}/download`));
    expect(pickedUp.sha256).toBe(sha256(data));
    expect(pickedUp.headers['content-disposition']).toContain(`filename*=UTF-8''r%C3%A9sum%C3%A9%20final.bin`);

    // Someone else cannot read the upload, and the bucket holds only server-made keys (UP-01).
    const stranger = await anonymous();
    expect((await request('GET', api(`/files/by-upload/${uploadId}`), { headers: stranger.headers })).status).toBe(404);
    expect((await bucketKeys()).filter((key) => !/^files\/[0-9A-HJKMNP-TV-Z]{26}$/.test(key))).toEqual([]);
  });

  it('resumes an upload cut at random points, alternating between two gateway replicas, to an equal SHA-256', async () => {
    const owner = await anonymous();
    const env = JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
    const mainPort = Number(new URL(gatewayUrl()).port);
    const second = await startGateway({ env, port: mainPort + 7 });
    const data = fileBytes(40 * MIB, 2);
    // Four cuts at random points of the upload, a few MiB apart, so each replica gets some of it.
    const cutPoints = Array.from(
      { length: 4 },
      (_, i) => Math.floor(((i + 1) / 5) * data.length) + randomInt(-MIB, MIB),
    );
    const proxy = await startFaultProxy([mainPort, mainPort + 7], cutPoints);
    try {
      const { url, last } = await tusUpload(`http://127.0.0.1:${proxy.port}/api/v1/uploads`, data, {
        headers: owner.headers,
        metadata: { filename: 'resumed.bin' },
      });
      expect(proxy.cuts).toBe(cutPoints.length);
      // Both replicas took part of the bytes.
      expect(proxy.bytesTo.every((bytes) => bytes > MIB)).toBe(true);
      const code = last.getHeader('X-Pickup-Code');
      const uploadId = url.split('/').pop();
      const file = json(await request('GET', api(`/files/by-upload/${uploadId}`), { headers: owner.headers }))['file'];
      expect(file).toMatchObject({ code, size: data.length, sha256: sha256(data) });
      expect((await download(api(`/files/pickup/${code}/download`))).sha256).toBe(sha256(data));
      const [row] = await query<{ object_key: string }>('files', 'SELECT object_key FROM files WHERE id = ?', [
        file.id,
      ]);
      expect(await incompleteUploads()).not.toContain(row?.object_key);
    } finally {
      await proxy.close();
      await second.stop();
    }
  });

  it('advertises the protocol with OPTIONS: version, extensions, checksum algorithms and the caller’s maximum', async () => {
    const response = await request('OPTIONS', api('/uploads'));
    expect(response.status).toBe(204);
    expect(response.headers['tus-version']).toContain('1.0.0');
    expect(String(response.headers['tus-extension']).split(',')).toEqual(
      expect.arrayContaining(['creation', 'creation-with-upload', 'termination', 'expiration']),
    );
    expect(String(response.headers['tus-checksum-algorithm']).split(',')).toEqual(
      expect.arrayContaining(['sha1', 'sha256']),
    );
    expect(response.headers['tus-max-size']).toBe('500000000'); // the anonymous group's maximum
  });

  it('refuses an upload over the group maximum at creation (413) and leaves nothing behind', async () => {
    const owner = await anonymous();
    const response = await create(owner.headers, 500_000_001);
    expect(response.status).toBe(413);
    expect(json(response)['error'].code).toBe('FILE_TOO_LARGE');
    expect(await leftovers(owner.id)).toEqual(nothingLeft);
  });

  it('follows tus conformance (UP-02): version, offsets, media type, termination, unknown ids', async () => {
    const owner = await anonymous();
    // (c) a wrong or missing protocol version → 412 with Tus-Version, and nothing is created
    for (const version of ['0.2.2', undefined]) {
      const refused = await request('POST', api('/uploads'), {
        headers: { ...owner.headers, 'upload-length': '10', ...(version ? { 'tus-resumable': version } : {}) },
      });
      expect(refused.status).toBe(412);
      expect(refused.headers['tus-version']).toBe('1.0.0');
      expect(json(refused)['error'].code).toBe('TUS_VERSION_UNSUPPORTED');
    }
    expect(await leftovers(owner.id)).toEqual(nothingLeft);

    const created = await create(owner.headers, 10);
    expect(created.status).toBe(201);
    expect(created.headers['upload-expires']).toBeDefined();
    const path = uploadPath(created.headers['location']);

    // (a) an offset other than the stored one → 409, nothing stored
    for (const offset of [3, -1]) {
      const wrong = await patch(path, owner.headers, offset, Buffer.from('abc'));
      expect(wrong.status).toBe(offset < 0 ? 400 : 409);
    }
    // (b) a PATCH that is not application/offset+octet-stream → 415
    const wrongType = await patch(path, owner.headers, 0, Buffer.from('abc'), {
      'content-type': 'application/octet-stream',
    });
    expect(wrongType.status).toBe(415);
    expect(json(wrongType)['error'].code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const stored = await patch(path, owner.headers, 0, Buffer.from('abcd'));
    expect(stored.status).toBe(204);
    expect(stored.headers['upload-offset']).toBe('4');
    const head = await request('HEAD', `${gatewayUrl()}${path}`, { headers: { ...TUS, ...owner.headers } });
    expect(head.status).toBe(200);
    expect(head.headers['upload-offset']).toBe('4');
    expect(head.headers['upload-length']).toBe('10');
    expect(head.headers['cache-control']).toBe('no-store');

    // (e) changing Upload-Length later → 400
    const relength = await patch(path, owner.headers, 4, Buffer.from('ef'), { 'upload-length': '12' });
    expect(relength.status).toBe(400);

    // someone else's upload does not exist for them
    const stranger = await anonymous();
    for (const method of ['HEAD', 'DELETE']) {
      const foreign = await request(method, `${gatewayUrl()}${path}`, { headers: { ...TUS, ...stranger.headers } });
      expect(foreign.status).toBe(404);
    }
    expect((await patch(path, stranger.headers, 4, Buffer.from('ef'))).status).toBe(404);

    // (g) DELETE, then HEAD → 404; the reservation is released and the multipart upload aborted
    const removed = await request('DELETE', `${gatewayUrl()}${path}`, { headers: { ...TUS, ...owner.headers } });
    expect(removed.status).toBe(204);
    const gone = await request('HEAD', `${gatewayUrl()}${path}`, { headers: { ...TUS, ...owner.headers } });
    expect(gone.status).toBe(404);
    expect(gone.headers['upload-offset']).toBeUndefined();
    expect(await leftovers(owner.id)).toEqual(nothingLeft);

    // (h) unknown and malformed ids → 404, never 500 (UP-01)
    for (const id of ['0190a5b2-0000-7000-8000-000000000000', '..%2f..%2fx', 'x'.repeat(300)]) {
      const unknown = await request('HEAD', api(`/uploads/${id}`), { headers: { ...TUS, ...owner.headers } });
      expect(unknown.status).toBe(404);
    }
  });

  it('a half-open PATCH (UP-03): offsets never go down, the reconnected client wins, the stale connection is dropped', async () => {
    const env = JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
    const port = Number(new URL(gatewayUrl()).port) + 2;
    // The stale connection's timeout, shortened from the 30 s default so the test need not wait it
    // out, but longer than the 3 s a released PATCH gets to store what it received.
    const replica = await startGateway({ env: { ...env, TUS_IDLE_TIMEOUT_SECONDS: '6' }, port });
    const owner = await anonymous();
    const data = fileBytes(24 * MIB + 3, 6);
    const base = `http://127.0.0.1:${port}`;
    const headOffset = async (path: string) => {
      const head = await request('HEAD', `${base}${path}`, { headers: { ...TUS, ...owner.headers } });
      expect(head.status).toBe(200);
      return Number(head.headers['upload-offset']);
    };
    const halfOpen = (path: string, offset: number, sentBytes: number) => {
      // A client whose network died: it announced the whole rest, sent part of it, and went silent
      // without closing (no FIN), so the gateway is still reading from it.
      const socket = net.connect(port, '127.0.0.1');
      const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
      socket.on('error', () => undefined);
      socket.write(
        `PATCH ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n` +
          `Authorization: ${owner.headers.authorization}\r\nUpload-Offset: ${offset}\r\n` +
          `Content-Type: application/offset+octet-stream\r\nContent-Length: ${data.length - offset}\r\n\r\n`,
      );
      socket.write(data.subarray(offset, offset + sentBytes));
      return { socket, closed };
    };
    try {
      const created = await request('POST', `${base}/api/v1/uploads`, {
        headers: {
          ...TUS,
          ...owner.headers,
          'upload-length': String(data.length),
          'upload-metadata': `filename ${b64('h.bin')}`,
        },
      });
      const path = uploadPath(created.headers['location']);

      // 1. The client reconnects while the stale PATCH still holds the upload: its HEAD makes
      //    the stale request stop and store the 9 MiB it received, and waits for that.
      const first = halfOpen(path, 0, 9 * MIB);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const afterFirst = await headOffset(path);
      expect(afterFirst).toBe(9 * MIB);
      first.socket.destroy();
      expect(await headOffset(path)).toBe(afterFirst);

      // 2. Nobody asks: the stale connection is dropped by the gateway within its idle timeout
      //    and the lock freed (what it sent of its unfinished part is not kept), so the client
      //    continues at the offset HEAD names, never below the last one.
      const sentAt = Date.now();
      const second = halfOpen(path, afterFirst, 8 * MIB);
      const closedAt = await second.closed;
      expect(closedAt - sentAt).toBeGreaterThanOrEqual(5_000);
      expect(closedAt - sentAt).toBeLessThan(6_000 + 4_000);
      const afterSecond = await headOffset(path);
      expect(afterSecond).toBeGreaterThanOrEqual(afterFirst);
      expect(afterSecond).toBeLessThanOrEqual(afterFirst + 8 * MIB);

      const rest = await patch(path, owner.headers, afterSecond, data.subarray(afterSecond), {}, base);
      expect(rest.status).toBe(204);
      const code = rest.headers['x-pickup-code'];
      expect((await download(api(`/files/pickup/${code}/download`))).sha256).toBe(sha256(data));
    } finally {
      await replica.stop();
    }
  });

  it('checks Upload-Checksum (UP-05): a wrong digest is 460 and discarded, an unknown algorithm 400', async () => {
    const owner = await anonymous();
    const data = Buffer.from('twelve bytes');
    const path = uploadPath((await create(owner.headers, data.length)).headers['location']);

    const wrong = await patch(path, owner.headers, 0, data, {
      'upload-checksum': `sha1 ${createHash('sha1').update('something else').digest('base64')}`,
    });
    expect(wrong.status).toBe(460);
    expect(json(wrong)['error'].code).toBe('CHECKSUM_MISMATCH');
    const head = await request('HEAD', `${gatewayUrl()}${path}`, { headers: { ...TUS, ...owner.headers } });
    expect(head.headers['upload-offset']).toBe('0');

    const unknown = await patch(path, owner.headers, 0, data, { 'upload-checksum': 'crc32 AAAAAA==' });
    expect(unknown.status).toBe(400);

    const right = await patch(path, owner.headers, 0, data, {
      'upload-checksum': `sha256 ${createHash('sha256').update(data).digest('base64')}`,
    });
    expect(right.status).toBe(204);
    expect(right.headers['x-pickup-code']).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
  });

  it('checks a declared whole-file sha256 (UP-05 c, d): a changed byte or a wrong digest is 422 and nothing is kept', async () => {
    const data = fileBytes(6 * MIB + 5, 5);
    const flipped = Buffer.from(data);
    flipped[4 * MIB] = flipped[4 * MIB]! ^ 0xff;
    const cases = [
      // (c) one byte changed on the way, in a PATCH that carries no Upload-Checksum
      { declared: sha256(data), sent: flipped },
      // (d) the client declares a digest the bytes do not have
      { declared: sha256(Buffer.from('another file')), sent: data },
    ];
    for (const { declared, sent } of cases) {
      const owner = await anonymous();
      const created = await create(owner.headers, sent.length, `filename ${b64('f.bin')},sha256 ${b64(declared)}`);
      expect(created.status).toBe(201);
      const path = uploadPath(created.headers['location']);
      const uploadId = path.split('/').pop();
      const [row] = await query<{ object_key: string }>('files', 'SELECT object_key FROM uploads WHERE id = ?', [
        uploadId,
      ]);
      const first = await patch(path, owner.headers, 0, sent.subarray(0, 5 * MIB));
      expect(first.status).toBe(204);
      const last = await patch(path, owner.headers, 5 * MIB, sent.subarray(5 * MIB));
      expect(last.status).toBe(422);
      expect(json(last)['error']).toMatchObject({
        code: 'CHECKSUM_MISMATCH',
        details: { declared, actual: sha256(sent) },
      });
      expect(last.headers['x-pickup-code']).toBeUndefined();
      // Nothing published, nothing kept: no upload, no file, no reservation, no object.
      const head = await request('HEAD', `${gatewayUrl()}${path}`, { headers: { ...TUS, ...owner.headers } });
      expect(head.status).toBe(404);
      expect((await request('GET', api(`/files/by-upload/${uploadId}`), { headers: owner.headers })).status).toBe(404);
      expect(await leftovers(owner.id)).toEqual(nothingLeft);
      expect(row?.object_key).toMatch(/^files\//);
      expect(await incompleteUploads()).not.toContain(row?.object_key);
      expect(await bucketKeys()).not.toContain(row?.object_key);
    }

    // A malformed declaration is refused at creation.
    const owner = await anonymous();
    const malformed = await create(owner.headers, 10, `filename ${b64('f.bin')},sha256 ${b64('not a digest')}`);
    expect([malformed.status, json(malformed)['error'].details]).toEqual([400, { field: 'sha256' }]);

    // The right declaration completes, and the download carries the digest (Repr-Digest).
    const good = await create(owner.headers, data.length, `filename ${b64('f.bin')},sha256 ${b64(sha256(data))}`);
    const path = uploadPath(good.headers['location']);
    expect((await patch(path, owner.headers, 0, data)).status).toBe(204);
    const code = json(
      await request('GET', api(`/files/by-upload/${path.split('/').pop()}`), { headers: owner.headers }),
    )['file'].code;
    const picked = await download(api(`/files/pickup/${code}/download`));
    expect(picked.sha256).toBe(sha256(data));
    expect(picked.headers['repr-digest']).toBe(`sha-256=:${createHash('sha256').update(data).digest('base64')}:`);
  });

  it('creation-with-upload stores the body of the POST, and an empty file completes at creation', async () => {
    const owner = await anonymous();
    const data = Buffer.from('all at once');
    const created = await request('POST', api('/uploads'), {
      headers: {
        ...TUS,
        ...owner.headers,
        'upload-length': String(data.length),
        'content-type': 'application/offset+octet-stream',
      },
      body: data,
    });
    expect(created.status).toBe(201);
    expect(created.headers['upload-offset']).toBe(String(data.length));
    const code = created.headers['x-pickup-code'];
    expect((await download(api(`/files/pickup/${code}/download`))).text).toBe('all at once');

    const empty = await create(owner.headers, 0);
    expect(empty.status).toBe(201);
    const emptyCode = empty.headers['x-pickup-code'];
    const emptyDownload = await download(api(`/files/pickup/${emptyCode}/download`));
    expect(emptyDownload).toMatchObject({ status: 200, bytes: 0 });
  });

  it('takes a PIN from Upload-Metadata: the file is PIN-protected and HEAD never echoes the PIN', async () => {
    const owner = await anonymous();
    const created = await create(owner.headers, 4, `filename ${b64('secret.txt')},pin ${b64('482913')}`);
    const path = uploadPath(created.headers['location']);
    const head = await request('HEAD', `${gatewayUrl()}${path}`, { headers: { ...TUS, ...owner.headers } });
    expect(String(head.headers['upload-metadata'])).not.toContain(b64('482913'));
    const done = await patch(path, owner.headers, 0, Buffer.from('abcd'));
    const code = done.headers['x-pickup-code'];
    const file = json(
      await request('GET', api(`/files/by-upload/${path.split('/').pop()}`), { headers: owner.headers }),
    );
    expect(file['file'].pinProtected).toBe(true);
    const withoutPin = await request('GET', api(`/files/pickup/${code}`));
    expect(json(withoutPin)['error'].code).toBe('PIN_REQUIRED');
  });

  it('gives up an upload that was left unfinished past its expiry (UP-07)', async () => {
    const owner = await anonymous();
    const env = JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
    const port = Number(new URL(gatewayUrl()).port) + 8;
    const shortLived = await startGateway({ env: { ...env, TUS_UPLOAD_EXPIRY_SECONDS: '10' }, port });
    try {
      const base = `http://127.0.0.1:${port}`;
      const size = 10 * MIB;
      const created = await request('POST', `${base}/api/v1/uploads`, {
        headers: { ...TUS, ...owner.headers, 'upload-length': String(size) },
      });
      expect(created.status).toBe(201);
      const path = uploadPath(created.headers['location']);
      const partial = await request('PATCH', `${base}${path}`, {
        headers: {
          ...TUS,
          ...owner.headers,
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
        },
        body: fileBytes(6 * MIB, 3), // 60 %: one part is stored
      });
      expect(partial.status).toBe(204);
      expect(partial.headers['upload-expires']).toBeDefined();
      expect((await leftovers(owner.id)).reservations).toBe(1);
      const [row] = await query<{ object_key: string }>('files', 'SELECT object_key FROM uploads WHERE id = ?', [
        path.split('/').pop(),
      ]);
      expect(await incompleteUploads()).toContain(row?.object_key);

      const after = await eventually(
        () => leftovers(owner.id),
        // The abandon job releases the reservation before it deletes the row: wait for both.
        (left) => left.reservations === 0 && left.uploads === 0,
        // The cleanup worker runs every second; one killed mid-run delays the next run until BullMQ
        // notices the stalled job (30 s).
        60_000,
      );
      expect(after).toEqual(nothingLeft);
      const head = await request('HEAD', `${base}${path}`, { headers: { ...TUS, ...owner.headers } });
      expect([404, 410]).toContain(head.status);
      expect(await incompleteUploads()).not.toContain(row?.object_key);
    } finally {
      await shortLived.stop();
    }
  });
});

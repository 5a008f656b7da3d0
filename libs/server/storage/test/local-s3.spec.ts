import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Client } from 'minio';
// The local S3 server is a dev tool run without a build, so it has no package to import.
import { startLocalS3, type LocalS3 } from '../../../../tools/s3/local-s3.mjs';
import { digestStream, patternBytes, PatternStream, readAll } from './support/pattern-bytes.js';

// The local S3 server (tools/s3) is what every test here stands on, so its S3 behaviour is
// checked through the same `minio` client the platform uses, including calls s3rver lacks.
const SLOW = 10 * 60_000;
const MIB = 1024 * 1024;
const BUCKET = 'lexy-compat-test';
const credentials = { accessKey: 'lexy-test', secretKey: 'lexy-test-secret' };

let directory: string;
let s3: LocalS3;
let client: Client;

beforeAll(async () => {
  directory = await fs.mkdtemp(path.join(os.tmpdir(), 'lexy-local-s3-test-'));
  s3 = await startLocalS3({ port: 0, directory, buckets: [BUCKET], ...credentials });
  client = clientFor({});
}, SLOW);

afterAll(async () => {
  await s3?.close();
  if (directory) await fs.rm(directory, { recursive: true, force: true });
}, SLOW);

function clientFor(options: { partSize?: number; accessKey?: string }): Client {
  return new Client({
    endPoint: '127.0.0.1',
    port: s3.port,
    useSSL: false,
    ...credentials,
    ...options,
    pathStyle: true,
    region: 'us-east-1',
  });
}

/** A signed request for calls `minio` does not expose; returns status, headers and body. */
async function request(
  method: string,
  target: { objectName?: string; query?: string; headers?: Record<string, string> },
  payload: string | Buffer = '',
  expectedCodes = [200],
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const response = await client.makeRequestAsync({ method, bucketName: BUCKET, ...target }, payload, expectedCodes);
  return { status: response.statusCode ?? 0, headers: response.headers, body: (await readAll(response)).toString() };
}

/** Text of every `<name>` element (none of the elements read here nest). */
function tags(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((match) => match[1]);
}

const md5Hex = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function initiate(key: string): Promise<string> {
  return client.initiateNewMultipartUpload(BUCKET, key, {});
}

async function uploadPart(key: string, uploadId: string, partNumber: number, data: Buffer): Promise<string> {
  const { etag } = await client.uploadPart(
    { bucketName: BUCKET, objectName: key, uploadID: uploadId, partNumber, headers: {} },
    data,
  );
  return etag;
}

async function completeXml(key: string, uploadId: string, parts: { number: number; etag: string }[]) {
  const xml =
    '<CompleteMultipartUpload>' +
    parts.map((p) => `<Part><PartNumber>${p.number}</PartNumber><ETag>"${p.etag}"</ETag></Part>`).join('') +
    '</CompleteMultipartUpload>';
  return request('POST', { objectName: key, query: `uploadId=${uploadId}` }, xml);
}

function uploadDir(uploadId: string): string {
  return path.join(directory, BUCKET, '._S3rver_uploads', uploadId);
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

describe('local S3 server (s3rver with the multipart compatibility layer)', () => {
  it(
    "lets minio's putObject stream more than 64 MiB (it lists multipart uploads first)",
    async () => {
      const sizeBytes = 70 * MIB;
      const body = new PatternStream({ sizeBytes, seed: 70 });
      await client.putObject(BUCKET, 'minio/70mib', body, sizeBytes);
      const back = await digestStream(await client.getObject(BUCKET, 'minio/70mib'));
      expect(back).toEqual({ sha256: body.sha256(), sizeBytes });
      expect((await client.listIncompleteUploadsQuery(BUCKET, '', '', '', '')).uploads).toEqual([]);
    },
    SLOW,
  );

  it(
    'lets minio resume an interrupted upload through ListMultipartUploads and ListParts',
    async () => {
      const seed = 12;
      const uploadId = await initiate('resume/object');
      await uploadPart('resume/object', uploadId, 1, patternBytes(seed, 0, 5 * MIB));

      const sizeBytes = 12 * MIB;
      const body = new PatternStream({ sizeBytes, seed });
      await clientFor({ partSize: 5 * MIB }).putObject(BUCKET, 'resume/object', body, sizeBytes);

      expect(await digestStream(await client.getObject(BUCKET, 'resume/object'))).toEqual({
        sha256: body.sha256(),
        sizeBytes,
      });
      // minio completed the upload it found instead of starting another one.
      expect(await exists(uploadDir(uploadId))).toBe(false);
      expect((await client.listIncompleteUploadsQuery(BUCKET, 'resume/', '', '', '')).uploads).toEqual([]);
    },
    SLOW,
  );

  describe('ListMultipartUploads', () => {
    const ids: Record<string, string[]> = {};

    beforeAll(async () => {
      for (const key of ['list/b', 'list/a', 'list/dir/x', 'list/a', 'list/dir/y', 'list/with space', 'other/z']) {
        (ids[key] ??= []).push(await initiate(key));
        // Initiation times order uploads of one key; keep them apart on coarse clocks.
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    });

    afterAll(async () => {
      for (const [key, uploadIds] of Object.entries(ids)) {
        for (const uploadId of uploadIds) await client.abortMultipartUpload(BUCKET, key, uploadId);
      }
    });

    it('lists uploads by key, then by initiation time, under a prefix', async () => {
      const { body } = await request('GET', { query: 'uploads&prefix=list%2F' });
      expect(tags(body, 'Key')).toEqual(['list/a', 'list/a', 'list/b', 'list/dir/x', 'list/dir/y', 'list/with space']);
      expect(tags(body, 'UploadId').slice(0, 2)).toEqual(ids['list/a']);
      expect(tags(body, 'IsTruncated')).toEqual(['false']);
      expect(tags(body, 'Initiated')[0]).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it('pages with max-uploads, key-marker and upload-id-marker, listing each upload once', async () => {
      const seen: string[] = [];
      let markers = '';
      for (let page = 0; page < 10; page++) {
        const { body } = await request('GET', { query: `uploads&max-uploads=2&prefix=list%2F${markers}` });
        seen.push(...tags(body, 'UploadId'));
        if (tags(body, 'IsTruncated')[0] !== 'true') break;
        markers =
          `&key-marker=${encodeURIComponent(tags(body, 'NextKeyMarker')[0])}` +
          `&upload-id-marker=${tags(body, 'NextUploadIdMarker')[0]}`;
      }
      const expected = ['list/a', 'list/b', 'list/dir/x', 'list/dir/y', 'list/with space'].flatMap((key) => ids[key]);
      expect(seen).toEqual(expected);
    });

    it('rolls keys up into common prefixes with a delimiter, and URL-encodes on request', async () => {
      const { body } = await request('GET', { query: 'uploads&delimiter=%2F&prefix=list%2F&encoding-type=url' });
      expect(tags(body, 'Key')).toEqual(['list/a', 'list/a', 'list/b', 'list/with%20space']);
      expect(tags(body, 'Prefix')).toEqual(['list/', 'list/dir/']); // the request's prefix, then the common one
      const viaMinio = await client.listIncompleteUploadsQuery(BUCKET, '', '', '', '/');
      expect(viaMinio.prefixes.map((p) => p.prefix).sort()).toEqual(['list/', 'other/']);
    });

    it('answers S3 errors for a missing bucket and an unknown access key', async () => {
      await expect(client.listIncompleteUploadsQuery('lexy-no-such-bucket', '', '', '', '')).rejects.toMatchObject({
        code: 'NoSuchBucket',
      });
      const stranger = clientFor({ accessKey: 'someone-else' });
      await expect(stranger.listIncompleteUploadsQuery(BUCKET, '', '', '', '')).rejects.toMatchObject({
        code: 'InvalidAccessKeyId',
      });
    });
  });

  it('lists parts with their md5 ETags and sizes, in pages', async () => {
    const uploadId = await initiate('parts/object');
    const data = [Buffer.from('one'), Buffer.from('second part'), Buffer.from('3')];
    for (const [index, part] of data.entries()) await uploadPart('parts/object', uploadId, index + 1, part);

    const first = await request('GET', { objectName: 'parts/object', query: `uploadId=${uploadId}&max-parts=2` });
    expect(tags(first.body, 'PartNumber')).toEqual(['1', '2']);
    expect(tags(first.body, 'ETag')).toEqual(data.slice(0, 2).map((part) => `&quot;${md5Hex(part)}&quot;`));
    expect(tags(first.body, 'Size')).toEqual(['3', '11']);
    expect(tags(first.body, 'IsTruncated')).toEqual(['true']);
    expect(tags(first.body, 'NextPartNumberMarker')).toEqual(['2']);

    const second = await request('GET', {
      objectName: 'parts/object',
      query: `uploadId=${uploadId}&part-number-marker=2`,
    });
    expect(tags(second.body, 'PartNumber')).toEqual(['3']);
    expect(tags(second.body, 'IsTruncated')).toEqual(['false']);

    await expect(
      request('GET', { objectName: 'parts/other-key', query: `uploadId=${uploadId}` }),
    ).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await client.abortMultipartUpload(BUCKET, 'parts/object', uploadId);
  });

  it('aborts an upload: its part files are deleted and the upload id is dead', async () => {
    const uploadId = await initiate('abort/object');
    await uploadPart('abort/object', uploadId, 1, patternBytes(1, 0, 6 * MIB));
    expect(await exists(path.join(uploadDir(uploadId), '1'))).toBe(true);

    const aborted = await request('DELETE', { objectName: 'abort/object', query: `uploadId=${uploadId}` }, '', [204]);
    expect(aborted.status).toBe(204);
    expect(await exists(uploadDir(uploadId))).toBe(false);

    await expect(client.abortMultipartUpload(BUCKET, 'abort/object', uploadId)).rejects.toMatchObject({
      code: 'NoSuchUpload',
    });
    await expect(uploadPart('abort/object', uploadId, 2, Buffer.from('late'))).rejects.toMatchObject({
      code: 'NoSuchUpload',
    });
    expect(await exists(uploadDir(uploadId))).toBe(false);

    // minio's removeIncompleteUpload (find the upload, then abort it) works too.
    const second = await initiate('abort/object');
    await client.removeIncompleteUpload(BUCKET, 'abort/object');
    expect(await exists(uploadDir(second))).toBe(false);
  });

  it('aborts while a part is still arriving, and the late part leaves nothing behind', async () => {
    const key = 'abort/racing';
    const uploadId = await initiate(key);
    const data = patternBytes(3, 0, 6 * MIB);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const body = Readable.from(
      (async function* () {
        yield data.subarray(0, MIB);
        await held;
        yield data.subarray(MIB);
      })(),
    );
    const part = client.makeRequestStreamAsync(
      {
        method: 'PUT',
        bucketName: BUCKET,
        objectName: key,
        query: `partNumber=1&uploadId=${uploadId}`,
        headers: { 'Content-Length': String(data.length) },
      },
      body,
      createHash('sha256').update(data).digest('hex'),
      [200],
      'us-east-1',
    );
    const failed = part.then(
      () => undefined,
      (error: unknown) => error,
    );

    // Wait until the server is writing the part, then abort under it.
    for (
      let tries = 0;
      !(await fs.readdir(uploadDir(uploadId)).catch(() => [])).some((f) => f.endsWith('.tmp'));
      tries++
    ) {
      if (tries > 200) throw new Error('the part upload never started');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await client.abortMultipartUpload(BUCKET, key, uploadId);
    release();

    expect(await failed).toMatchObject({ code: 'NoSuchUpload' });
    expect(await exists(uploadDir(uploadId))).toBe(false);
  });

  it(
    'completes only valid part lists, and an invalid one leaves the upload intact',
    async () => {
      const key = 'complete/object';
      const uploadId = await initiate(key);
      const partOne = patternBytes(2, 0, 5 * MIB);
      const partTwo = patternBytes(2, 5 * MIB, 5 * MIB + 1000);
      const small = Buffer.from('too small to come first');
      const etagOne = await uploadPart(key, uploadId, 1, partOne);
      const etagSmall = await uploadPart(key, uploadId, 2, small);
      const etagTwo = await uploadPart(key, uploadId, 3, partTwo);

      const attempts: [string, { number: number; etag: string }[]][] = [
        ['InvalidPart', [{ number: 1, etag: md5Hex(Buffer.from('not it')) }]],
        [
          'InvalidPart',
          [
            { number: 1, etag: etagOne },
            { number: 7, etag: etagTwo },
          ],
        ],
        [
          'InvalidPartOrder',
          [
            { number: 3, etag: etagTwo },
            { number: 1, etag: etagOne },
          ],
        ],
        [
          'EntityTooSmall',
          [
            { number: 2, etag: etagSmall },
            { number: 3, etag: etagTwo },
          ],
        ],
      ];
      for (const [code, parts] of attempts) {
        await expect(completeXml(key, uploadId, parts)).rejects.toMatchObject({ code });
      }
      expect(await exists(uploadDir(uploadId))).toBe(true);

      // Part numbers need not be contiguous; part 2 is left out.
      const done = await completeXml(key, uploadId, [
        { number: 1, etag: etagOne },
        { number: 3, etag: etagTwo },
      ]);
      const expectedEtag = `${createHash('md5')
        .update(Buffer.concat([Buffer.from(etagOne, 'hex'), Buffer.from(etagTwo, 'hex')]))
        .digest('hex')}-2`;
      expect(tags(done.body, 'ETag')).toEqual([`&quot;${expectedEtag}&quot;`]);
      expect(await exists(uploadDir(uploadId))).toBe(false);
      expect((await readAll(await client.getObject(BUCKET, key))).equals(Buffer.concat([partOne, partTwo]))).toBe(true);
      expect((await client.statObject(BUCKET, key)).etag).toBe(expectedEtag);
    },
    SLOW,
  );

  it('refuses a part whose Content-MD5 does not match, and keeps nothing of it', async () => {
    const uploadId = await initiate('digest/object');
    await expect(
      request(
        'PUT',
        {
          objectName: 'digest/object',
          query: `partNumber=1&uploadId=${uploadId}`,
          headers: { 'Content-MD5': createHash('md5').update('other').digest('base64') },
        },
        Buffer.from('payload'),
      ),
    ).rejects.toMatchObject({ code: 'BadDigest' });
    expect(await fs.readdir(uploadDir(uploadId))).toEqual(expect.not.arrayContaining(['1']));
    await client.abortMultipartUpload(BUCKET, 'digest/object', uploadId);
  });

  it('answers the ranges s3rver got wrong: bytes=0-0 and suffix ranges', async () => {
    const content = patternBytes(9, 0, 1000);
    await client.putObject(BUCKET, 'range/object', content);

    const first = await request('GET', { objectName: 'range/object', headers: { range: 'bytes=0-0' } }, '', [206]);
    expect(first.headers['content-range']).toBe('bytes 0-0/1000');
    expect(Buffer.from(first.body, 'latin1').length).toBe(1);

    const suffix = await client.makeRequestAsync(
      { method: 'GET', bucketName: BUCKET, objectName: 'range/object', headers: { range: 'bytes=-10' } },
      '',
      [206],
    );
    expect(suffix.headers['content-range']).toBe('bytes 990-999/1000');
    expect((await readAll(suffix)).equals(content.subarray(990))).toBe(true);

    await expect(
      request('GET', { objectName: 'range/object', headers: { range: 'bytes=-0' } }, '', [206]),
    ).rejects.toMatchObject({ code: 'InvalidRange' });
  });

  it('deletes objects side by side: their files and the folders they empty go, a folder still in use stays', async () => {
    const doomed = Array.from({ length: 40 }, (_, index) => `purge/${index % 4}/deep/object-${index}`);
    for (const key of [...doomed, 'purge/kept/object']) await client.putObject(BUCKET, key, Buffer.from(key));

    expect(await client.removeObjects(BUCKET, doomed)).toEqual([]);

    for (const folder of ['0', '1', '2', '3'])
      expect(await exists(path.join(directory, BUCKET, 'purge', folder))).toBe(false);
    expect(await fs.readdir(path.join(directory, BUCKET, 'purge'))).toEqual(['kept']);
    expect((await readAll(await client.getObject(BUCKET, 'purge/kept/object'))).toString()).toBe('purge/kept/object');
    // A key deleted twice, and a key that never was, count as deleted.
    expect(await client.removeObjects(BUCKET, [doomed[0], 'purge/never'])).toEqual([]);
    await client.removeObject(BUCKET, 'purge/kept/object');
    expect(await exists(path.join(directory, BUCKET, 'purge'))).toBe(false);
    expect(await exists(path.join(directory, BUCKET))).toBe(true);
  });

  it('refuses keys with . or .. segments, which would escape its data folder', async () => {
    await expect(client.putObject(BUCKET, 'escape/../../../outside', 'x')).rejects.toMatchObject({
      code: 'XMinioInvalidObjectName',
    });
    expect(await exists(path.join(directory, '..', 'outside._S3rver_object'))).toBe(false);
  });

  it('fails with one clear line when its port is taken', async () => {
    const attempt = startLocalS3({ port: s3.port, directory: path.join(directory, 'second') });
    await expect(attempt).rejects.toMatchObject({
      code: 'EADDRINUSE',
      message: expect.stringMatching(
        new RegExp(`^local S3: port ${s3.port} on 127\\.0\\.0\\.1 is already in use[^\\n]*$`),
      ),
    });
  });
});

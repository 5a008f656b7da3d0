import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
// The local S3 server is a dev tool run without a build, so it has no package to import.
import { startLocalS3, type LocalS3 } from '../../../../tools/s3/local-s3.mjs';
import {
  DEFAULT_PART_SIZE_BYTES,
  ObjectStorage,
  StorageError,
  type ByteRange,
  type StorageConfig,
} from '../src/index.js';
import { bodyStream, digestStream, patternBytes, PatternStream, readAll } from './support/pattern-bytes.js';

// Hundreds of MiB through one event loop on a slow 2-core machine: timeouts are generous,
// and nothing asserts on speed.
const SLOW = 10 * 60_000;
const MIB = 1024 * 1024;
const BUCKET = 'lexy-storage-test';
const credentials = { accessKey: 'lexy-test', secretKey: 'lexy-test-secret' };

let directory: string;
let s3: LocalS3;
let config: StorageConfig;
let storage: ObjectStorage;

beforeAll(async () => {
  directory = await fs.mkdtemp(path.join(os.tmpdir(), 'lexy-storage-test-'));
  s3 = await startLocalS3({ port: 0, directory, buckets: [BUCKET], ...credentials });
  config = { endpoint: s3.endpoint, bucket: BUCKET, ...credentials };
  storage = new ObjectStorage(config);
}, SLOW);

afterAll(async () => {
  await s3?.close();
  if (directory) await fs.rm(directory, { recursive: true, force: true });
}, SLOW);

/** Nothing of a failed upload may remain: no object, no multipart upload. */
async function expectNothingLeft(key: string): Promise<void> {
  expect(await storage.listKeys(key)).toEqual([]);
  expect(await storage.stat(key)).toBeNull();
  expect(await storage.listIncompleteUploads()).toEqual([]);
}

function rate(bytes: number, startedAt: bigint): string {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  return `${(bytes / 1e6 / seconds).toFixed(0)} MB/s (${seconds.toFixed(1)} s)`;
}

describe('ObjectStorage against the local S3 server', () => {
  it(
    'streams a 200 MiB body in and out unchanged',
    async () => {
      const sizeBytes = 200 * MIB;
      const body = new PatternStream({ sizeBytes, seed: 200 });
      let peakRss = 0;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);

      const putStarted = process.hrtime.bigint();
      const put = await storage.putStream('big/200mib', body, { contentType: 'application/x-test' });
      const putRate = rate(sizeBytes, putStarted);

      const getStarted = process.hrtime.bigint();
      const back = await digestStream(await storage.getStream('big/200mib'));
      const getRate = rate(sizeBytes, getStarted);
      const bodyStarted = process.hrtime.bigint();
      const body200 = await storage.openBody('big/200mib');
      const backAsBody = await digestStream(bodyStream(body200));
      const bodyRate = rate(sizeBytes, bodyStarted);
      clearInterval(sampler);
      console.log(
        `200 MiB put ${putRate}, get ${getRate}, openBody ${bodyRate}; peak RSS ${(peakRss / MIB).toFixed(0)} MiB ` +
          '(client and server share this process)',
      );

      expect(put.sizeBytes).toBe(sizeBytes);
      expect(back.sizeBytes).toBe(sizeBytes);
      expect(back.sha256).toBe(body.sha256());
      expect(body200.length).toBe(sizeBytes);
      expect(backAsBody).toEqual(back);
      expect(await storage.stat('big/200mib')).toEqual({
        sizeBytes,
        contentType: 'application/x-test',
        etag: put.etag,
      });
      expect(await storage.listIncompleteUploads()).toEqual([]);
    },
    SLOW,
  );

  describe('a failed upload leaves nothing behind', () => {
    it(
      'when the body errors after ~70 MiB',
      async () => {
        const failure = new Error('client connection reset');
        const body = new PatternStream({ sizeBytes: 200 * MIB, failAfterBytes: 70 * MIB, error: failure });
        await expect(storage.putStream('failed/errored', body)).rejects.toBe(failure);
        expect(body.bytesEmitted).toBe(70 * MIB);
        await expectNothingLeft('failed/errored');
      },
      SLOW,
    );

    it(
      'when the body is destroyed without an error',
      async () => {
        const body = new PassThrough();
        const source = new PatternStream({ sizeBytes: 40 * MIB });
        source.pipe(body);
        source.on('end', () => body.destroy());
        await expect(storage.putStream('failed/destroyed', body)).rejects.toMatchObject({
          code: 'ERR_STREAM_PREMATURE_CLOSE',
        });
        await expectNothingLeft('failed/destroyed');
      },
      SLOW,
    );

    it(
      'when the body is shorter or longer than declared',
      async () => {
        const short = new PatternStream({ sizeBytes: 20 * MIB });
        await expect(storage.putStream('failed/short', short, { sizeBytes: 20 * MIB + 1 })).rejects.toMatchObject({
          code: 'SIZE_MISMATCH',
        });
        await expectNothingLeft('failed/short');

        const long = new PatternStream({ sizeBytes: 20 * MIB });
        await expect(storage.putStream('failed/long', long, { sizeBytes: 20 * MIB - 1 })).rejects.toBeInstanceOf(
          StorageError,
        );
        await expectNothingLeft('failed/long');

        const smallLong = Readable.from([Buffer.from('12345')]);
        await expect(storage.putStream('failed/small', smallLong, { sizeBytes: 4 })).rejects.toMatchObject({
          code: 'SIZE_MISMATCH',
        });
        await expectNothingLeft('failed/small');
      },
      SLOW,
    );

    it(
      'when S3 refuses a part in the middle of the upload',
      async () => {
        // A pass-through proxy in front of the local server that refuses the third part.
        const proxy = http.createServer((req, res) => {
          if (req.method === 'PUT' && /[?&]partNumber=3(&|$)/.test(req.url ?? '')) {
            req.resume();
            req.on('end', () => {
              res.writeHead(403, { 'content-type': 'application/xml' });
              res.end(
                '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>injected</Message></Error>',
              );
            });
            return;
          }
          const upstream = http.request(
            { host: '127.0.0.1', port: s3.port, method: req.method, path: req.url, headers: req.headers },
            (response) => {
              res.writeHead(response.statusCode ?? 502, response.headers);
              response.pipe(res);
            },
          );
          req.pipe(upstream);
        });
        await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
        try {
          const { port } = proxy.address() as AddressInfo;
          const viaProxy = new ObjectStorage({ ...config, endpoint: `http://127.0.0.1:${port}` });
          const body = new PatternStream({ sizeBytes: 60 * MIB });
          await expect(viaProxy.putStream('failed/refused', body)).rejects.toMatchObject({ code: 'AccessDenied' });
          await expectNothingLeft('failed/refused');
        } finally {
          proxy.closeAllConnections();
          await new Promise((resolve) => proxy.close(resolve));
        }
      },
      SLOW,
    );
  });

  it(
    'returns the exact bytes of ranges, across part boundaries and at the edges',
    async () => {
      const sizeBytes = 40 * MIB + 123;
      const seed = 40;
      await storage.putStream('ranges/object', new PatternStream({ sizeBytes, seed }), { sizeBytes });
      const ranges = [
        { start: 0, end: 0 },
        { start: 5, end: 5 },
        { start: 0, end: 99 },
        { start: 16 * MIB - 10, end: 16 * MIB + 9 },
        { start: 3 * MIB + 1, end: 35 * MIB + 7 },
        { start: sizeBytes - 100, end: sizeBytes - 1 },
      ];
      for (const range of ranges) {
        const expected = patternBytes(seed, range.start, range.end + 1);
        const bytes = await readAll(await storage.getStream('ranges/object', range));
        const body = await storage.openBody('ranges/object', range);
        expect(body.length).toBe(expected.length);
        const bodyBytes = await readAll(bodyStream(body));
        expect({ range, equal: bytes.equals(expected), bodyEqual: bodyBytes.equals(expected) }).toEqual({
          range,
          equal: true,
          bodyEqual: true,
        });
      }

      // Past the end is cut at the end, as in HTTP; starting past the end is an error.
      const tail = await readAll(
        await storage.getStream('ranges/object', { start: sizeBytes - 10, end: sizeBytes + 500 }),
      );
      expect(tail.equals(patternBytes(seed, sizeBytes - 10, sizeBytes))).toBe(true);
      const tailBody = await storage.openBody('ranges/object', { start: sizeBytes - 10, end: sizeBytes + 500 });
      expect(tailBody.length).toBe(10);
      expect((await readAll(bodyStream(tailBody))).equals(tail)).toBe(true);
      const reads = [
        (range: ByteRange) => storage.getStream('ranges/object', range),
        (range: ByteRange) => storage.openBody('ranges/object', range),
      ];
      for (const read of reads) {
        await expect(read({ start: sizeBytes, end: sizeBytes + 1 })).rejects.toMatchObject({ code: 'INVALID_RANGE' });
        await expect(read({ start: 5, end: 4 })).rejects.toThrow(TypeError);
      }
    },
    SLOW,
  );

  it('removes idempotently, after which stat is null and reads fail with NOT_FOUND', async () => {
    await storage.putStream('remove/me', Readable.from([Buffer.from('bye')]));
    expect(await storage.stat('remove/me')).not.toBeNull();

    await storage.remove('remove/me');
    expect(await storage.stat('remove/me')).toBeNull();
    await storage.remove('remove/me');
    await storage.remove('remove/never-existed');
    await expect(storage.getStream('remove/me')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(storage.openBody('remove/me')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await storage.listKeys('remove/')).toEqual([]);
  });

  it('puts objects smaller than one part in a single request', async () => {
    const content = patternBytes(5, 0, 1000);
    const put = await storage.putStream('small/one', Readable.from([content.subarray(0, 300), content.subarray(300)]), {
      contentType: 'text/plain',
      sizeBytes: 1000,
    });
    expect(put).toEqual({ sizeBytes: 1000, etag: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(await readAll(await storage.getStream('small/one'))).toEqual(content);
    expect(await storage.stat('small/one')).toEqual({ sizeBytes: 1000, contentType: 'text/plain', etag: put.etag });

    const empty = await storage.putStream('small/empty', Readable.from([]));
    expect(empty.sizeBytes).toBe(0);
    expect(await storage.stat('small/empty')).toMatchObject({ sizeBytes: 0, contentType: 'application/octet-stream' });
    expect((await readAll(await storage.getStream('small/empty'))).length).toBe(0);
    expect(await readAll(bodyStream(await storage.openBody('small/one')))).toEqual(content);
    const emptyBody = await storage.openBody('small/empty');
    expect(emptyBody.length).toBe(0);
    expect((await readAll(bodyStream(emptyBody))).length).toBe(0);
  });

  it(
    'puts a body of exactly one part as one object, and one byte more as two parts',
    async () => {
      const part = DEFAULT_PART_SIZE_BYTES;
      const one = await storage.putStream('exact/one', new PatternStream({ sizeBytes: part, seed: 3 }));
      expect(one.etag).not.toContain('-');
      const two = await storage.putStream('exact/two', new PatternStream({ sizeBytes: part + 1, seed: 3 }));
      expect(two.etag).toMatch(/-2$/);
      const back = await readAll(await storage.getStream('exact/two', { start: part - 1, end: part }));
      expect(back.equals(patternBytes(3, part - 1, part + 1))).toBe(true);
      // Many parts, each read while the one before uploads, come back in order.
      const many = await storage.putStream('exact/many', new PatternStream({ sizeBytes: 5 * part + 7, seed: 4 }));
      expect(many.etag).toMatch(/-6$/);
      const all = await readAll(await storage.getStream('exact/many'));
      expect(all.equals(patternBytes(4, 0, 5 * part + 7))).toBe(true);
    },
    SLOW,
  );

  it('lists keys by prefix', async () => {
    for (const key of ['list/a/1', 'list/a/2', 'list/b/1']) {
      await storage.putStream(key, Readable.from([Buffer.from(key)]));
    }
    expect(await storage.listKeys('list/a/')).toEqual(['list/a/1', 'list/a/2']);
    expect(await storage.listKeys('list/')).toEqual(['list/a/1', 'list/a/2', 'list/b/1']);
  });

  it('creates its bucket once, and pings only a live endpoint with the bucket', async () => {
    const other = new ObjectStorage({ ...config, bucket: 'lexy-created-by-test' });
    expect(await other.ping()).toBe(false);
    await other.ensureBucket();
    await other.ensureBucket();
    expect(await other.ping()).toBe(true);

    const down = await startLocalS3({ port: 0, directory: path.join(directory, 'down'), ...credentials });
    const unreachable = new ObjectStorage({ ...config, endpoint: down.endpoint });
    await down.close();
    expect(await unreachable.ping()).toBe(false);
  });
});

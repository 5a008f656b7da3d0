import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
// The local S3 server is a dev tool run without a build, so it has no package to import.
import { startLocalS3, type LocalS3 } from '../../../../tools/s3/local-s3.mjs';
import { ObjectStorage } from '../src/index.js';

// What the cleanup worker does with storage: walk it in key order, delete in bulk, give up
// multipart uploads by key. Against the local S3 server, like object-storage.spec.ts.
const BUCKET = 'lexy-maintenance-test';
const credentials = { accessKey: 'lexy-test', secretKey: 'lexy-test-secret' };

let directory: string;
let s3: LocalS3;
let storage: ObjectStorage;

beforeAll(async () => {
  directory = await fs.mkdtemp(path.join(os.tmpdir(), 'lexy-storage-maintenance-'));
  s3 = await startLocalS3({ port: 0, directory, buckets: [BUCKET], ...credentials });
  storage = new ObjectStorage({ endpoint: s3.endpoint, bucket: BUCKET, ...credentials });
});

afterAll(async () => {
  await s3?.close();
  if (directory) await fs.rm(directory, { recursive: true, force: true });
});

async function put(key: string, bytes = key.length): Promise<void> {
  await storage.putStream(key, Readable.from([Buffer.alloc(bytes, 7)]));
}

/** Runs `task` on every item, `concurrency` at a time. */
async function eachLimited<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

describe('listObjects and removeMany over more than a page', () => {
  // One set of objects for both, written once: putting them is what takes the time.
  const keys = Array.from({ length: 1100 }, (_, i) => `walk/${String(i).padStart(5, '0')}`);
  let startedAt: number;

  beforeAll(async () => {
    startedAt = Date.now() - 1000; // s3rver keeps whole seconds
    await eachLimited([...keys].reverse(), 16, (key) => put(key, Number(key.slice(-3)) % 17));
    await put('walk-other/x');
  }, 120_000);

  it('streams key, size and modification time in key order, across pages of 1000', async () => {
    const listed = [];
    for await (const object of storage.listObjects('walk/')) listed.push(object);

    expect(listed.map((object) => object.key)).toEqual(keys);
    expect(listed[5]).toEqual({ key: 'walk/00005', sizeBytes: 5, lastModified: expect.any(Date) });
    const times = listed.map((object) => object.lastModified.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await storage.listKeys('walk-other/')).toEqual(['walk-other/x']);
  });

  it('deletes them in batches of 1000, counting missing objects as deleted', async () => {
    // The local S3 server's DeleteObjects (s3rver) deletes a request's keys side by side.
    await storage.removeMany([...keys, 'walk/00001', 'walk/never-existed']);

    expect(await storage.listKeys('walk/')).toEqual([]);
    expect(await storage.listKeys('walk-other/')).toEqual(['walk-other/x']);
    await storage.removeMany([]);
    await storage.removeMany(keys.slice(0, 3));
  });
});

describe('listObjects', () => {
  it('can be left early, and lists nothing under an empty prefix', async () => {
    await put('early/a');
    await put('early/b');
    const seen: string[] = [];
    for await (const object of storage.listObjects('early/')) {
      seen.push(object.key);
      break;
    }
    expect(seen).toEqual(['early/a']);

    const none = [];
    for await (const object of storage.listObjects('nothing-here/')) none.push(object);
    expect(none).toEqual([]);
  });
});

describe('removeMany', () => {
  it('refuses an invalid key before deleting anything', async () => {
    await put('invalid/a');
    await expect(storage.removeMany(['invalid/a', ''])).rejects.toThrow(TypeError);
    expect(await storage.listKeys('invalid/')).toEqual(['invalid/a']);
  });
});

describe('abortUploadsOf', () => {
  it('aborts every incomplete multipart upload of exactly that key', async () => {
    const key = 'files/abandoned';
    const ids = [
      await storage.startMultipart(key),
      await storage.startMultipart(key),
      await storage.startMultipart(key),
    ];
    await storage.uploadPart(key, ids[0]!, 1, Buffer.alloc(1024, 1));
    const longer = await storage.startMultipart(`${key}-longer`);
    const other = await storage.startMultipart('files/other');

    expect(await storage.abortUploadsOf(key)).toBe(3);

    expect(await storage.listIncompleteUploads('files/')).toEqual([`${key}-longer`, 'files/other']);
    expect(await storage.abortUploadsOf(key)).toBe(0);
    await storage.abortMultipart(`${key}-longer`, longer);
    await storage.abortMultipart('files/other', other);
    expect(await storage.listIncompleteUploads()).toEqual([]);
  });

  it('leaves a completed object of the key alone', async () => {
    await put('files/complete');
    const id = await storage.startMultipart('files/complete');
    expect(await storage.abortUploadsOf('files/complete')).toBe(1);
    expect(await storage.stat('files/complete')).not.toBeNull();
    await expect(storage.uploadPart('files/complete', id, 1, Buffer.alloc(10))).rejects.toMatchObject({
      code: 'NoSuchUpload',
    });
  });
});

describe('listStaleUploads', () => {
  it('lists the multipart uploads begun before a time, with their ids, at most `limit`', async () => {
    const first = await storage.startMultipart('files/stale-a');
    const second = await storage.startMultipart('files/stale-b');
    const afterBoth = new Date(Date.now() + 60_000);

    expect(await storage.listStaleUploads('files/stale-', new Date(Date.now() - 60_000))).toEqual([]);
    expect(await storage.listStaleUploads('files/stale-', afterBoth)).toEqual([
      { key: 'files/stale-a', uploadId: first },
      { key: 'files/stale-b', uploadId: second },
    ]);
    expect(await storage.listStaleUploads('files/stale-', afterBoth, 1)).toHaveLength(1);
    await storage.abortMultipart('files/stale-a', first);
    await storage.abortMultipart('files/stale-b', second);
  });
});

import { ObjectStorage } from '@lexy/server-storage';
import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
// The local S3 server is a dev tool run without a build, so it has no package to import.
import { startLocalS3, type LocalS3 } from '../../../tools/s3/local-s3.mjs';
import { withExpectedChecksum } from '../src/uploads/chunk-checksum.js';
import { ObjectStorageTusStore } from '../src/uploads/object-storage-tus-store.js';
import { UploadDigests } from '../src/uploads/upload-digests.js';
import { UploadStateStore, type UploadState } from '../src/uploads/upload-state.js';

// The tus store against the real local S3 server and Redis: parts, tails, checksums, failures.
const MIB = 1024 * 1024;
const BUCKET = 'lexy-tus-store-test';
const credentials = { accessKey: 'lexy-test', secretKey: 'lexy-test-secret' };
const SLOW = 120_000;

let directory: string;
let s3: LocalS3;
let storage: ObjectStorage;
let redis: Redis;
let states: UploadStateStore;
let digests: UploadDigests;
let store: ObjectStorageTusStore;
const abandoned: string[] = [];

beforeAll(async () => {
  directory = await fs.mkdtemp(path.join(os.tmpdir(), 'lexy-tus-store-'));
  s3 = await startLocalS3({ port: 0, directory, buckets: [BUCKET], ...credentials });
  storage = new ObjectStorage({ endpoint: s3.endpoint, bucket: BUCKET, ...credentials });
  redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  states = new UploadStateStore(redis);
  digests = new UploadDigests();
  store = new ObjectStorageTusStore(
    storage,
    states,
    digests,
    async (state) => {
      abandoned.push(state.id);
    },
    { partSizeBytes: 8 * MIB, expirationMs: 60_000 },
  );
}, SLOW);

afterAll(async () => {
  redis?.disconnect();
  await s3?.close();
  if (directory) await fs.rm(directory, { recursive: true, force: true });
}, SLOW);

/** Bytes that differ at every offset, so a misplaced chunk changes the digest. */
function bytes(length: number, seed: number): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i + 4 <= length; i += 4) data.writeUInt32LE((i * 2654435761 + seed) >>> 0, i);
  for (let i = length - (length % 4); i < length; i += 1) data[i] = (seed + i) & 0xff;
  return data;
}

async function newUpload(size: number): Promise<UploadState> {
  const id = randomUUID();
  const state: UploadState = {
    id,
    caller: { ownerId: `test:${id}`, group: 'anonymous', kind: 1 },
    objectKey: `files/TEST${id.replace(/-/g, '').slice(0, 22).toUpperCase()}`,
    mimeType: 'application/octet-stream',
    size,
    offset: 0,
    metadata: {},
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    multipartId: null,
    parts: [],
    tailKey: null,
    tailBytes: 0,
  };
  await states.save(state);
  await store.create({ id, offset: 0, size, metadata: {} } as never);
  return (await states.get(id)) as UploadState;
}

const patch = (id: string, offset: number, data: Buffer) => store.write(Readable.from([data]), id, offset);

async function objectBytes(key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.getStream(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('ObjectStorageTusStore', () => {
  it(
    'assembles PATCHes of any size into the object: whole parts, parts of 5 MiB or more, small tails',
    async () => {
      const file = bytes(21 * MIB + 123, 1);
      const state = await newUpload(file.length);
      // 7 MiB (a part of its own), 1 MiB and 2 MiB (tails), then 11 MiB + 123 (a whole part and the last one)
      const cuts = [7 * MIB, 8 * MIB, 10 * MIB, file.length];
      let offset = 0;
      for (const cut of cuts) {
        offset = await patch(state.id, offset, file.subarray(offset, cut));
        expect(offset).toBe(cut);
        expect((await states.get(state.id))?.offset).toBe(cut);
      }
      expect(Buffer.compare(await objectBytes(state.objectKey), file)).toBe(0);
      expect(digests.take(state.id, file.length)).toBe(sha256(file));
      // No tail objects and no multipart upload are left behind.
      expect(await storage.listKeys(`uploads/${state.id}/`)).toEqual([]);
      expect(await storage.listIncompleteUploads(state.objectKey)).toEqual([]);
    },
    SLOW,
  );

  it(
    'discards a PATCH whose Upload-Checksum does not match, keeping the bytes stored before it',
    async () => {
      const file = bytes(12 * MIB, 2);
      const state = await newUpload(file.length);
      const first = file.subarray(0, 2 * MIB); // becomes a tail
      expect(await patch(state.id, 0, first)).toBe(2 * MIB);

      const rest = file.subarray(2 * MIB);
      const wrong = { algorithm: 'sha1' as const, digest: createHash('sha1').update('not the bytes').digest() };
      await expect(withExpectedChecksum(wrong, () => patch(state.id, 2 * MIB, rest))).rejects.toMatchObject({
        code: 'CHECKSUM_MISMATCH',
      });
      expect((await states.get(state.id))?.offset).toBe(2 * MIB);

      const right = { algorithm: 'sha256' as const, digest: createHash('sha256').update(rest).digest() };
      expect(await withExpectedChecksum(right, () => patch(state.id, 2 * MIB, rest))).toBe(file.length);
      expect(Buffer.compare(await objectBytes(state.objectKey), file)).toBe(0);
      expect(digests.take(state.id, file.length)).toBe(sha256(file));
    },
    SLOW,
  );

  it(
    'leaves the offset unchanged when the body fails midway, and resumes from there',
    async () => {
      const file = bytes(9 * MIB, 3);
      const state = await newUpload(file.length);
      const failing = new Readable({
        read() {
          this.push(file.subarray(0, 3 * MIB));
          this.destroy(new Error('connection reset'));
        },
      });
      await expect(store.write(failing, state.id, 0)).rejects.toThrow('connection reset');
      expect((await states.get(state.id))?.offset).toBe(0);
      expect(await patch(state.id, 0, file)).toBe(file.length);
      expect(Buffer.compare(await objectBytes(state.objectKey), file)).toBe(0);
    },
    SLOW,
  );

  it('refuses a PATCH at the wrong offset without touching the upload', async () => {
    const state = await newUpload(6 * MIB);
    await expect(patch(state.id, 5, bytes(10, 4))).rejects.toMatchObject({ status_code: 409 });
    expect((await states.get(state.id))?.offset).toBe(0);
  });

  it('hands termination to the abandon step, and unknown ids are 404', async () => {
    const state = await newUpload(6 * MIB);
    await store.remove(state.id);
    expect(abandoned).toContain(state.id);
    await expect(store.getUpload(randomUUID())).rejects.toMatchObject({ status_code: 404 });
  });
});

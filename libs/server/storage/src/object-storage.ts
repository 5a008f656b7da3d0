import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'minio';
import { choosePartSize, MAX_PARTS, PartReader } from './part-reader.js';
import { PooledResponse, type WriteGate } from './pooled-response.js';
import { resolveStorageConfig, type StorageConfig } from './storage-config.js';
import { StorageError } from './storage-error.js';

export interface PutOptions {
  contentType?: string;
  /** When known (e.g. from Content-Length), a body of any other length fails with SIZE_MISMATCH. */
  sizeBytes?: number;
}

export interface PutResult {
  sizeBytes: number;
  etag: string;
}

/** Inclusive byte offsets, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A multipart upload that was begun long ago and never completed. */
export interface StaleUpload {
  key: string;
  uploadId: string;
}

export interface ObjectInfo {
  sizeBytes: number;
  contentType: string;
  etag: string;
}

/** One object of a listing. */
export interface ListedObject {
  key: string;
  sizeBytes: number;
  lastModified: Date;
}

/** An object's bytes, opened for writing somewhere else. */
export interface ObjectBody {
  /** Bytes in the body: the object's size, or the length of the range that was read. */
  readonly length: number;
  /**
   * Writes the body to `destination` and ends it. `onFlushed` hears of bytes as they leave.
   * Buffers are reused once a write calls back: the destination must be done with a chunk by
   * then, as a socket or an HTTP response is (a Transform is not).
   * Rejects, destroying both sides, when storage fails or the destination closes early.
   * `gate`, when given, is asked before each write and may hold it (a speed limit); without
   * one nothing waits.
   */
  pipeTo(destination: Writable, onFlushed?: (bytes: number) => void, gate?: WriteGate): Promise<void>;
  /** Drops the body without reading it. */
  destroy(): void;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const PING_TIMEOUT_MS = 3_000;
/** How long storage may stay silent while a body is being read from it. */
const READ_TIMEOUT_MS = 60_000;
/** Lifetime of the signed URL of one read; it is used at once. */
const READ_URL_SECONDS = 60;
/** The most of an S3 error document read to find its code. */
const ERROR_DOCUMENT_BYTES = 64 * 1024;
const CLEANUP_ATTEMPTS = 2;
/** S3's limit on the keys of one listing page. */
const MAX_KEYS_PER_LIST = 1000;
/** S3's limit on the keys of one DeleteObjects request. */
const MAX_KEYS_PER_DELETE = 1000;
/** Bounds abortUploadsOf: each round aborts up to a page (1000) of the key's uploads. */
const MAX_ABORT_ROUNDS = 100;

/**
 * Object storage in one bucket over the `minio` client, for MinIO in production and the
 * local S3 endpoint (tools/s3) everywhere else.
 *
 * Uploads do not use `minio`'s `putObject` for streams: it keeps several parts in memory
 * (its chunker has its own buffer), resumes any older upload of the same key, and leaves its
 * multipart upload behind when the body fails. `putStream` runs the multipart upload itself,
 * one part in memory at a time, and cleans up after any failure.
 */
export class ObjectStorage {
  private readonly client: Client;
  private readonly bucket: string;
  private readonly region: string | undefined;
  private readonly partSizeBytes: number;
  private readonly useSSL: boolean;

  constructor(config: StorageConfig) {
    const resolved = resolveStorageConfig(config);
    this.bucket = resolved.bucket;
    this.region = resolved.region;
    this.partSizeBytes = resolved.partSizeBytes;
    this.useSSL = resolved.useSSL;
    this.client = new Client({
      endPoint: resolved.endPoint,
      port: resolved.port,
      useSSL: resolved.useSSL,
      accessKey: resolved.accessKey,
      secretKey: resolved.secretKey,
      ...(resolved.region ? { region: resolved.region } : {}),
      pathStyle: true,
      // Explicit, so anything in minio that still buffers whole parts buffers one of ours, not 64 MiB.
      partSize: resolved.partSizeBytes,
    });
  }

  /** Creates the bucket if it does not exist (safe to call from several replicas at once). */
  async ensureBucket(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.region ?? '');
    } catch (error) {
      const raced = ['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(errorCode(error) ?? '');
      if (!raced || !(await this.client.bucketExists(this.bucket))) throw error;
    }
  }

  /**
   * Streams `body` into the object `key`. A body that fits in one part is sent as one PUT;
   * a larger one as a multipart upload, one part at a time.
   *
   * On any failure (the body errors or is destroyed, its length differs from `sizeBytes`,
   * S3 fails) the multipart upload is aborted and, if the failure came once the object could
   * already have been written, the object is removed; then the original error is rethrown.
   * Keys are write-once in this platform, so removing the key never loses an older object.
   * The body is not destroyed on failure: that is the caller's decision.
   */
  async putStream(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    assertKey(key);
    const { sizeBytes: declared, contentType = DEFAULT_CONTENT_TYPE } = options;
    if (declared !== undefined && !(Number.isSafeInteger(declared) && declared >= 0)) {
      throw new TypeError(`sizeBytes must be a non-negative integer, got ${declared}`);
    }
    // Two part buffers: the next part is read from the body while the last one uploads.
    const reader = new PartReader(body, choosePartSize(this.partSizeBytes, declared), declared, 2);
    const headers = { 'Content-Type': contentType };
    let uploadId: string | undefined;
    let objectMayExist = false;
    try {
      const first = await reader.next();
      if (reader.done) {
        const data = first ?? Buffer.alloc(0);
        objectMayExist = true;
        const { etag } = await this.client.putObject(this.bucket, key, data, data.length, headers);
        return { sizeBytes: data.length, etag };
      }

      uploadId = await this.client.initiateNewMultipartUpload(this.bucket, key, headers);
      const parts: { part: number; etag: string }[] = [];
      for (let data: Buffer | null = first; data;) {
        const partNumber = parts.length + 1;
        if (partNumber > MAX_PARTS) {
          throw new StorageError('TOO_LARGE', `The body needs more than ${MAX_PARTS} parts; declare its size`);
        }
        const uploaded = this.client.uploadPart(
          { bucketName: this.bucket, objectName: key, uploadID: uploadId, partNumber, headers: this.partHeaders(data) },
          data,
        );
        const [{ etag }, next] = await Promise.all([uploaded, reader.next()]);
        parts.push({ part: partNumber, etag });
        data = next;
      }
      objectMayExist = true;
      const { etag } = await this.client.completeMultipartUpload(this.bucket, key, uploadId, parts);
      return { sizeBytes: reader.bytesRead, etag };
    } catch (error) {
      await this.discardFailedPut(key, uploadId, objectMayExist);
      throw error;
    } finally {
      await reader.close();
    }
  }

  /**
   * The object's bytes, or the inclusive `range` of them. The caller must consume or destroy
   * the stream. A range past the end is cut at the end, as in HTTP; one starting past the end
   * fails with INVALID_RANGE; a missing object with NOT_FOUND.
   */
  async getStream(key: string, range?: ByteRange): Promise<Readable> {
    assertKey(key);
    if (range) assertRange(range);
    try {
      return range
        ? await this.client.getPartialObject(this.bucket, key, range.start, range.end - range.start + 1)
        : await this.client.getObject(this.bucket, key);
    } catch (error) {
      throw readError(errorCode(error), key, range, error);
    }
  }

  /**
   * Opens the object's bytes, or the inclusive `range` of them, to be written to one
   * destination; fails as `getStream` does before anything is written. Over plain HTTP the
   * body is read into a few reused buffers and passed on without copies (see PooledResponse);
   * over HTTPS it is a `getStream` stream.
   */
  async openBody(key: string, range?: ByteRange): Promise<ObjectBody> {
    assertKey(key);
    if (range) assertRange(range);
    if (this.useSSL) return streamBody(await this.getStream(key, range));

    const url = new URL(await this.client.presignedUrl('GET', this.bucket, key, READ_URL_SECONDS));
    const response = await PooledResponse.open({
      url,
      headers: range ? { Range: `bytes=${range.start}-${range.end}` } : {},
      timeoutMs: READ_TIMEOUT_MS,
    });
    const { statusCode, length } = response;
    if (statusCode === (range ? 206 : 200) && length !== undefined) {
      return {
        length,
        pipeTo: (to, onFlushed, gate) => response.pipeTo(to, onFlushed, gate),
        destroy: () => response.destroy(),
      };
    }
    if (statusCode < 300) {
      response.destroy();
      throw new Error(`Storage answered ${statusCode} ${length === undefined ? 'without a length' : ''} to a read`);
    }
    const document = await response.readText(ERROR_DOCUMENT_BYTES);
    const code = /<Code>([^<]*)<\/Code>/.exec(document)?.[1];
    throw readError(code, key, range, new Error(`Storage answered ${statusCode} ${code ?? ''} to a read of ${key}`));
  }

  /**
   * Multipart primitives for uploads that arrive in pieces over several requests (tus), where
   * the caller keeps the part list itself. Parts other than the last must be at least 5 MiB.
   */
  async startMultipart(key: string, contentType = DEFAULT_CONTENT_TYPE): Promise<string> {
    assertKey(key);
    return this.client.initiateNewMultipartUpload(this.bucket, key, { 'Content-Type': contentType });
  }

  /** Stores part `partNumber` (1-based) of a multipart upload; a part sent again replaces the older one. */
  async uploadPart(key: string, uploadId: string, partNumber: number, data: Buffer): Promise<string> {
    assertKey(key);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
      throw new TypeError(`A part number must be from 1 to ${MAX_PARTS}, got ${partNumber}`);
    }
    const { etag } = await this.client.uploadPart(
      { bucketName: this.bucket, objectName: key, uploadID: uploadId, partNumber, headers: this.partHeaders(data) },
      data,
    );
    return etag;
  }

  /** Publishes the object from exactly these parts; parts stored but not listed are dropped by S3. */
  async completeMultipart(key: string, uploadId: string, parts: { part: number; etag: string }[]): Promise<void> {
    assertKey(key);
    await this.client.completeMultipartUpload(this.bucket, key, uploadId, parts);
  }

  /** Abandons a multipart upload and its parts; an upload that is already gone counts as aborted. */
  async abortMultipart(key: string, uploadId: string): Promise<void> {
    assertKey(key);
    try {
      await this.client.abortMultipartUpload(this.bucket, key, uploadId);
    } catch (error) {
      if (errorCode(error) !== 'NoSuchUpload') throw error;
    }
  }

  /** A small object read whole into memory (at most `maxBytes`), or null when it does not exist. */
  async readSmall(key: string, maxBytes: number): Promise<Buffer | null> {
    let stream: Readable;
    try {
      stream = await this.getStream(key);
    } catch (error) {
      if (error instanceof StorageError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        stream.destroy();
        throw new StorageError('TOO_LARGE', `Object ${key} is larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** Size, type and ETag of the object, or null when it does not exist. */
  async stat(key: string): Promise<ObjectInfo | null> {
    assertKey(key);
    try {
      const info = await this.client.statObject(this.bucket, key);
      const contentType: unknown = info.metaData['content-type'];
      return {
        sizeBytes: info.size,
        contentType: typeof contentType === 'string' && contentType ? contentType : DEFAULT_CONTENT_TYPE,
        etag: info.etag,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Deletes the object; deleting a missing object succeeds. */
  async remove(key: string): Promise<void> {
    assertKey(key);
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /**
   * Deletes the objects, at most 1000 per request (S3's DeleteObjects), one request at a time.
   * Missing objects count as deleted; any other per-key failure fails the call, naming it.
   */
  async removeMany(keys: readonly string[]): Promise<void> {
    keys.forEach(assertKey);
    const unique = [...new Set(keys)];
    for (let start = 0; start < unique.length; start += MAX_KEYS_PER_DELETE) {
      const batch = unique.slice(start, start + MAX_KEYS_PER_DELETE);
      const failures = (await this.client.removeObjects(this.bucket, batch))
        // The typings say `{ Error }` entries; minio 8 returns the <Error> elements themselves.
        .map((entry) => ((entry as { Error?: unknown } | null)?.Error ?? entry) as DeleteFailure | null | undefined)
        .filter((failure): failure is DeleteFailure => !!failure && !DELETED_ANYWAY.has(String(failure.Code)));
      if (failures.length > 0) {
        const [first] = failures;
        throw new Error(
          `Storage did not delete ${failures.length} of ${batch.length} objects; ` +
            `first: ${String(first?.Key)} (${String(first?.Code)}: ${String(first?.Message)})`,
        );
      }
    }
  }

  /** Every object key under `prefix`, in key order. */
  async listKeys(prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of this.listObjects(prefix)) keys.push(object.key);
    return keys;
  }

  /**
   * The objects under `prefix` in key order, read a page (1000 keys) at a time as the caller
   * iterates, so a listing of any size never sits in memory whole.
   *
   * Pages are ListObjects (V1) pages continued after the last key (`marker`): the local S3
   * server (s3rver) signs the continuation tokens of ListObjectsV2 with DES, which OpenSSL 3
   * no longer offers, so there every V2 listing longer than a page fails. S3 and MinIO answer
   * both the same.
   */
  async *listObjects(prefix = ''): AsyncGenerator<ListedObject> {
    for (let marker = ''; ;) {
      const page = await this.client.listObjectsQuery(this.bucket, prefix, marker, {
        Delimiter: '',
        MaxKeys: MAX_KEYS_PER_LIST,
      });
      let last: string | undefined;
      for (const item of page.objects) {
        if (item.name === undefined || item.lastModified === undefined) continue;
        last = String(item.name);
        yield { key: last, sizeBytes: Number(item.size ?? 0), lastModified: item.lastModified };
      }
      if (page.isTruncated !== true || last === undefined || last === marker) return;
      marker = last;
    }
  }

  /**
   * Aborts every incomplete multipart upload of exactly `key` (not of longer keys it is a prefix
   * of), with the parts stored for it. Uploads already gone count as aborted.
   */
  async abortUploadsOf(key: string): Promise<number> {
    assertKey(key);
    let aborted = 0;
    // A listing under `key` shows `key`'s own uploads first (a key sorts before every longer
    // key it starts), and those just aborted are gone from the next one: so list from the
    // start again while a whole page was `key`'s. (minio drops NextUploadIdMarker, so paging
    // on within one key is not possible; see listIncompleteUploads.)
    for (let round = 0; round < MAX_ABORT_ROUNDS; round++) {
      const page = await this.client.listIncompleteUploadsQuery(this.bucket, key, '', '', '');
      const own = page.uploads.filter((upload) => String(upload.key) === key);
      for (const upload of own) await this.abortMultipart(key, String(upload.uploadId));
      aborted += own.length;
      if (!page.isTruncated || own.length < page.uploads.length || own.length === 0) return aborted;
    }
    throw new Error(`Storage still lists multipart uploads of ${key} after ${MAX_ABORT_ROUNDS} rounds of aborts`);
  }

  /**
   * Multipart uploads under `prefix` begun before `initiatedBefore`, at most `limit` of them,
   * with their ids (to abort them). For the reconciler: no upload session lives long enough to
   * own one begun long ago.
   */
  async listStaleUploads(prefix: string, initiatedBefore: Date, limit = 1000): Promise<StaleUpload[]> {
    const stale: StaleUpload[] = [];
    let keyMarker = '';
    for (;;) {
      const page = await this.client.listIncompleteUploadsQuery(this.bucket, prefix, keyMarker, '', '');
      for (const upload of page.uploads) {
        if (new Date(upload.initiated) >= initiatedBefore) continue;
        stale.push({ key: String(upload.key), uploadId: String(upload.uploadId) });
        if (stale.length >= limit) return stale;
      }
      // As in listIncompleteUploads: pages continue after the last key.
      const next = String(page.nextKeyMarker || page.uploads.at(-1)?.key || '');
      if (!page.isTruncated || !next || next === keyMarker) return stale;
      keyMarker = next;
    }
  }

  /**
   * Keys of the multipart uploads in flight (or abandoned) under `prefix`, each once. For
   * tests and for the invariant checks of the cleanup job.
   */
  async listIncompleteUploads(prefix = ''): Promise<string[]> {
    const keys = new Set<string>();
    let keyMarker = '';
    for (;;) {
      const page = await this.client.listIncompleteUploadsQuery(this.bucket, prefix, keyMarker, '', '');
      for (const upload of page.uploads) keys.add(String(upload.key));
      // minio drops NextUploadIdMarker, so pages continue after the last key; uploads it
      // skips share that key, which is already listed.
      const next = String(page.nextKeyMarker || [...keys].at(-1) || '');
      if (!page.isTruncated || !next || next === keyMarker) return [...keys];
      keyMarker = next;
    }
  }

  /** True when the endpoint answers and the bucket exists, within a few seconds. */
  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
      timer.unref();
    });
    try {
      return await Promise.race([this.client.bucketExists(this.bucket), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Over plain HTTP minio signs each body's SHA-256, which already guards its integrity; over
   * HTTPS it signs UNSIGNED-PAYLOAD, so parts carry a Content-MD5 instead.
   */
  private partHeaders(data: Buffer): Record<string, string> {
    return this.useSSL ? { 'Content-MD5': createHash('md5').update(data).digest('base64') } : {};
  }

  /**
   * Best effort: the caller needs the original error, not a cleanup failure. What cannot be
   * cleaned now (S3 unreachable) stays visible to `listIncompleteUploads` for the cleanup job.
   */
  private async discardFailedPut(key: string, uploadId: string | undefined, objectMayExist: boolean): Promise<void> {
    if (uploadId) {
      const id = uploadId;
      await retry(async () => {
        try {
          await this.client.abortMultipartUpload(this.bucket, key, id);
        } catch (error) {
          if (errorCode(error) !== 'NoSuchUpload') throw error;
        }
      });
    }
    if (objectMayExist) await retry(() => this.remove(key));
  }
}

async function retry(task: () => Promise<void>): Promise<void> {
  for (let attempt = 1; attempt <= CLEANUP_ATTEMPTS; attempt++) {
    try {
      return await task();
    } catch {
      // next attempt; a final failure is left to the cleanup job (see discardFailedPut)
    }
  }
}

/** The error for a failed read of `key`: a StorageError for the codes callers handle. */
function readError(code: string | undefined, key: string, range: ByteRange | undefined, cause: unknown): unknown {
  if (code === 'NoSuchKey' || code === 'NotFound') {
    return new StorageError('NOT_FOUND', `Object ${key} does not exist`, { cause });
  }
  if (code === 'InvalidRange') {
    return new StorageError('INVALID_RANGE', `Range ${range?.start}-${range?.end} is not satisfiable`, { cause });
  }
  return cause;
}

/** A body read through the `minio` client's stream. */
function streamBody(stream: Readable): ObjectBody {
  return {
    length: Number((stream as IncomingMessage).headers['content-length']),
    async pipeTo(destination, onFlushed, gate) {
      if (!gate) {
        if (onFlushed) stream.on('data', (chunk: Buffer) => onFlushed(chunk.length));
        await pipeline(stream, destination);
        return;
      }
      await pipeline(
        stream,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            await gate(chunk.length);
            onFlushed?.(chunk.length);
            yield chunk;
          }
        },
        destination,
      );
    },
    destroy: () => stream.destroy(),
  };
}

/** A key DeleteObjects could not delete, as minio reports it. */
interface DeleteFailure {
  Code?: string;
  Message?: string;
  Key?: string;
}

/** DeleteObjects answers that count as deleted. */
const DELETED_ANYWAY = new Set(['NoSuchKey', 'NotFound']);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'NoSuchKey' || code === 'NotFound';
}

function assertKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || Buffer.byteLength(key) > 1024) {
    throw new TypeError('An object key must be 1 to 1024 bytes of UTF-8');
  }
}

function assertRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new TypeError(`Invalid byte range ${start}-${end}: need integers with 0 <= start <= end`);
  }
}

// @ts-check
/**
 * What s3rver 3.7.1 gets wrong or lacks for the way this project uses S3, fixed in front of it.
 *
 * s3rver has no ListMultipartUploads, ListParts or AbortMultipartUpload, so `minio`'s
 * `putObject` of large streams fails with NotImplemented and nothing can clean up an
 * interrupted upload. Its own UploadPart and CompleteMultipartUpload are not safe to keep
 * next to a working abort either: a part cut off mid-body stays on disk and a later
 * completion uses it; completing with a part number that has no file crashes the whole process (an
 * unhandled stream error inside its `concatStreams`); the object is assembled in place, so
 * readers see it half-written; and nothing stops an abort from deleting parts under a running
 * completion. So this layer owns the whole multipart life cycle after initiation:
 * ListMultipartUploads, ListParts, UploadPart, CompleteMultipartUpload and
 * AbortMultipartUpload. It keeps s3rver's on-disk layout
 * (`<bucket>/._S3rver_uploads/<uploadId>/{key,metadata,<n>,<n>.md5}`), which is the only
 * state: nothing is held in memory but short per-upload locks, so uploads survive a restart.
 *
 * It also fixes two ranged-GET bugs of s3rver's store: `bytes=0-0` returns the whole object,
 * and suffix ranges (`bytes=-N`) return the first N+1 bytes instead of the last N.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const require = createRequire(import.meta.url);
// s3rver's own modules, so errors, XML and authentication behave exactly like the rest of it.
const fromS3rver = createRequire(require.resolve('s3rver'));
const S3Error = fromS3rver('./models/error');
const S3Object = fromS3rver('./models/object');
const { DUMMY_ACCOUNT } = fromS3rver('./models/account');
const authentication = fromS3rver('./middleware/authentication');
const xmlParser = fromS3rver('fast-xml-parser');
const he = fromS3rver('he');

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MIB = 1024 * 1024;
const MIN_PART_BYTES = 5 * MIB;
const MAX_PART_BYTES = 5 * 1024 * MIB;
const MAX_PART_NUMBER = 10_000;
const MAX_LIST_ENTRIES = 1000;
const MAX_COMPLETE_BODY_BYTES = 4 * MIB;
// Assembling parts with plain reads and writes of this size is several times faster than streams.
const COPY_CHUNK_BYTES = 4 * MIB;
// s3rver creates upload ids as 32 hex characters; anything else could escape the uploads folder.
const UPLOAD_ID = /^[0-9a-f]{16,64}$/i;
const PART_FILE = /^\d+$/;

/**
 * @typedef {{ name: 'listUploads', bucket: string }
 *   | { name: 'listParts' | 'abort' | 'uploadPart' | 'complete', bucket: string, key: string, uploadId: string }} Operation
 * @typedef {{ key: string, uploadId: string, initiated: Date }} UploadInfo
 * @typedef {{ number: number, size: number, md5: string, lastModified: Date }} PartInfo
 */

/**
 * Installs the compatibility layer on an s3rver instance. Must run before the server starts
 * listening, because Koa composes its middleware when the request handler is created.
 *
 * @param {any} app an `S3rver` instance (a Koa application)
 */
export function installS3rverCompat(app) {
  const routerIndex = app.middleware.findIndex((/** @type {any} */ fn) => fn.router);
  if (routerIndex === -1) {
    throw new Error('s3rver-compat: s3rver router middleware not found (s3rver version changed?)');
  }
  // Before the router, so these requests never reach s3rver's NotImplemented branches; after
  // s3rver's XML encoder, so handlers can answer with plain objects like s3rver's own do.
  app.middleware.splice(routerIndex, 0, multipartCompat(app.store));
  fixRangedReads(app.store);
  deleteWithoutListing(app.store);
}

/** @param {any} store s3rver's FilesystemStore */
function multipartCompat(store) {
  const authenticate = authentication();
  const locks = new KeyedMutex();

  return async function multipartCompat(/** @type {any} */ ctx, /** @type {() => Promise<void>} */ next) {
    rejectPathEscapes(ctx);
    const op = classify(ctx);
    if (!op) {
      await rewriteSuffixRange(ctx, store);
      return next();
    }
    // s3rver's authentication reads the bucket and key from router params.
    ctx.params = { ...ctx.params, bucket: op.bucket, ...('key' in op ? { key: op.key } : {}) };
    await authenticate(ctx, async () => {
      if (!(await store.getBucket(op.bucket))) {
        throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: op.bucket });
      }
      switch (op.name) {
        case 'listUploads':
          return listUploads(ctx, store, op);
        case 'listParts':
          return listParts(ctx, store, locks, op);
        case 'abort':
          return abortUpload(ctx, store, locks, op);
        case 'uploadPart':
          return uploadPart(ctx, store, locks, op);
        case 'complete':
          return completeUpload(ctx, store, locks, op);
      }
    });
  };
}

/**
 * s3rver maps keys straight onto paths, so a key or bucket with `.` or `..` segments would
 * read or write outside its data folder. MinIO refuses such names too.
 *
 * @param {any} ctx
 */
function rejectPathEscapes(ctx) {
  const target = splitPath(ctx.path);
  if (!target) return;
  const segments = [target.bucket, ...(target.key?.split('/') ?? [])];
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw clientError('XMinioInvalidObjectName', 'Object name contains unsupported characters.');
  }
}

/**
 * Decides whether a request is one this layer answers.
 *
 * @param {any} ctx
 * @returns {Operation | null}
 */
function classify(ctx) {
  const target = splitPath(ctx.path);
  if (!target) return null;
  const query = ctx.query;
  if (target.key === undefined) {
    return ctx.method === 'GET' && 'uploads' in query && !('uploadId' in query)
      ? { name: 'listUploads', bucket: target.bucket }
      : null;
  }
  if (!('uploadId' in query) || 'uploads' in query) return null;
  const base = { bucket: target.bucket, key: target.key, uploadId: single(query.uploadId) };
  switch (ctx.method) {
    case 'GET':
      return { name: 'listParts', ...base };
    case 'DELETE':
      return { name: 'abort', ...base };
    case 'POST':
      return { name: 'complete', ...base };
    case 'PUT':
      // UploadPartCopy stays with s3rver, which answers NotImplemented.
      return 'x-amz-copy-source' in ctx.headers ? null : { name: 'uploadPart', ...base };
    default:
      return null;
  }
}

/**
 * @param {string} rawPath the still percent-encoded request path
 * @returns {{ bucket: string, key?: string } | null}
 */
function splitPath(rawPath) {
  const match = /^\/([^/]+)(?:\/(.*))?$/s.exec(rawPath);
  if (!match) return null;
  const bucket = decode(match[1]);
  return match[2] ? { bucket, key: decode(match[2]) } : { bucket };
}

/** Decodes like @koa/router does, so keys match what s3rver's own routes see. */
function decode(/** @type {string} */ text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Query values may repeat; S3 takes the first. */
function single(/** @type {string | string[] | undefined} */ value) {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/**
 * ListMultipartUploads: sorted by key, then by initiation time; `key-marker` /
 * `upload-id-marker` pagination, `prefix`, `delimiter` and `encoding-type=url` as in S3.
 *
 * @param {any} ctx
 * @param {any} store
 * @param {{ bucket: string }} op
 */
async function listUploads(ctx, store, { bucket }) {
  const query = ctx.query;
  const prefix = single(query.prefix);
  const delimiter = single(query.delimiter);
  const keyMarker = single(query['key-marker']);
  const uploadIdMarker = keyMarker ? single(query['upload-id-marker']) : '';
  const maxUploads = parseMax(query['max-uploads'], 'max-uploads');
  const encode = encoderFor(query['encoding-type']);

  const all = (await readUploads(store, bucket)).filter((upload) => upload.key.startsWith(prefix)).sort(compareUploads);

  let startIndex = 0;
  if (keyMarker) {
    const markerIndex = uploadIdMarker
      ? all.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker)
      : -1;
    startIndex =
      markerIndex !== -1
        ? markerIndex + 1
        : all.findIndex(
            (u) => u.key > keyMarker || (u.key === keyMarker && uploadIdMarker !== '' && u.uploadId > uploadIdMarker),
          );
    if (startIndex === -1) startIndex = all.length;
  }
  // A common prefix returned as NextKeyMarker is complete: do not list it again.
  const skipPrefix = delimiter && keyMarker.endsWith(delimiter) ? keyMarker : '';

  /** @type {UploadInfo[]} */
  const uploads = [];
  /** @type {string[]} */
  const commonPrefixes = [];
  let isTruncated = false;
  let nextKeyMarker = '';
  let nextUploadIdMarker = '';
  for (const upload of all.slice(startIndex)) {
    if (skipPrefix && upload.key.startsWith(skipPrefix)) continue;
    const cut = delimiter ? upload.key.indexOf(delimiter, prefix.length) : -1;
    const commonPrefix = cut === -1 ? '' : upload.key.slice(0, cut + delimiter.length);
    if (commonPrefix && commonPrefixes.at(-1) === commonPrefix) continue;
    if (uploads.length + commonPrefixes.length >= maxUploads) {
      isTruncated = true;
      break;
    }
    if (commonPrefix) {
      commonPrefixes.push(commonPrefix);
      nextKeyMarker = commonPrefix;
      nextUploadIdMarker = '';
    } else {
      uploads.push(upload);
      nextKeyMarker = upload.key;
      nextUploadIdMarker = upload.uploadId;
    }
  }

  const owner = ownerOf(ctx);
  ctx.body = {
    ListMultipartUploadsResult: {
      '@': { xmlns: XMLNS },
      Bucket: bucket,
      KeyMarker: encode(keyMarker),
      UploadIdMarker: uploadIdMarker,
      ...(isTruncated ? { NextKeyMarker: encode(nextKeyMarker), NextUploadIdMarker: nextUploadIdMarker } : {}),
      Prefix: encode(prefix),
      ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
      MaxUploads: maxUploads,
      IsTruncated: isTruncated,
      Upload: uploads.map((upload) => ({
        Key: encode(upload.key),
        UploadId: upload.uploadId,
        Initiator: owner,
        Owner: owner,
        StorageClass: 'STANDARD',
        Initiated: upload.initiated.toISOString(),
      })),
      CommonPrefixes: commonPrefixes.map((commonPrefix) => ({ Prefix: encode(commonPrefix) })),
      ...(query['encoding-type'] ? { EncodingType: 'url' } : {}),
    },
  };
}

/**
 * ListParts: only parts whose upload finished (a part being written is not listed).
 *
 * @param {any} ctx
 * @param {any} store
 * @param {KeyedMutex} locks
 * @param {{ bucket: string, key: string, uploadId: string }} op
 */
async function listParts(ctx, store, locks, { bucket, key, uploadId }) {
  const maxParts = parseMax(ctx.query['max-parts'], 'max-parts');
  const marker = parsePartNumberMarker(single(ctx.query['part-number-marker']));
  const parts = await locks.run(uploadId, async () => {
    const upload = await requireUpload(store, bucket, key, uploadId);
    return readParts(upload.dir);
  });
  const remaining = parts.filter((part) => part.number > marker);
  const page = remaining.slice(0, maxParts);
  const isTruncated = remaining.length > maxParts;
  const owner = ownerOf(ctx);
  ctx.body = {
    ListPartsResult: {
      '@': { xmlns: XMLNS },
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      Initiator: owner,
      Owner: owner,
      StorageClass: 'STANDARD',
      PartNumberMarker: marker,
      NextPartNumberMarker: page.at(-1)?.number ?? 0,
      MaxParts: maxParts,
      IsTruncated: isTruncated,
      Part: page.map((part) => ({
        PartNumber: part.number,
        LastModified: part.lastModified.toISOString(),
        ETag: JSON.stringify(part.md5),
        Size: part.size,
      })),
    },
  };
}

/**
 * AbortMultipartUpload: deletes the upload folder with every part in it.
 *
 * @param {any} ctx
 * @param {any} store
 * @param {KeyedMutex} locks
 * @param {{ bucket: string, key: string, uploadId: string }} op
 */
async function abortUpload(ctx, store, locks, { bucket, key, uploadId }) {
  await locks.run(uploadId, async () => {
    const upload = await requireUpload(store, bucket, key, uploadId);
    await removeUploadDir(upload.dir);
  });
  ctx.status = 204;
}

/**
 * UploadPart: streams the body to a temporary file and publishes it (part file plus its md5)
 * only when the body arrived whole, under the upload's lock, and only if the upload still
 * exists, so an abort racing a part leaves nothing behind.
 *
 * @param {any} ctx
 * @param {any} store
 * @param {KeyedMutex} locks
 * @param {{ bucket: string, key: string, uploadId: string }} op
 */
async function uploadPart(ctx, store, locks, { bucket, key, uploadId }) {
  const partNumber = parsePartNumber(single(ctx.query.partNumber));
  const declaredLength = Number(ctx.get('content-length') || NaN);
  if (declaredLength > MAX_PART_BYTES) {
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: declaredLength,
      MaxSizeAllowed: MAX_PART_BYTES,
    });
  }
  const contentSha256 = ctx.get('x-amz-content-sha256');
  if (/aws-chunked/i.test(ctx.get('content-encoding')) || contentSha256.startsWith('STREAMING-')) {
    // Storing the chunk-signature framing as data would corrupt the object silently.
    throw new S3Error(
      'NotImplemented',
      'aws-chunked bodies are not supported by the local S3 server; send plain bodies ' +
        "(AWS SDK: requestChecksumCalculation: 'WHEN_REQUIRED')",
    );
  }
  const upload = await requireUpload(store, bucket, key, uploadId);

  const partPath = path.join(upload.dir, String(partNumber));
  const tmpPath = `${partPath}.${randomBytes(6).toString('hex')}.tmp`;
  const md5 = createHash('md5');
  const sha256 = /^[0-9a-f]{64}$/i.test(contentSha256) ? createHash('sha256') : null;
  let size = 0;
  try {
    await pipeline(
      ctx.req,
      async function* measure(/** @type {AsyncIterable<Buffer>} */ source) {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > MAX_PART_BYTES) {
            throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
          }
          md5.update(chunk);
          sha256?.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(tmpPath, { flags: 'wx' }),
    );
  } catch (err) {
    await fs.rm(tmpPath, { force: true });
    if (!(await uploadExists(upload.dir, key))) throw noSuchUpload(uploadId);
    throw err;
  }

  try {
    const digest = md5.digest();
    const contentMd5 = ctx.get('content-md5');
    if (contentMd5 && contentMd5 !== digest.toString('base64')) {
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: contentMd5,
        CalculatedDigest: digest.toString('base64'),
      });
    }
    if (sha256 && sha256.digest('hex') !== contentSha256.toLowerCase()) {
      throw clientError(
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
    const md5Hex = digest.toString('hex');
    await locks.run(uploadId, async () => {
      if (!(await uploadExists(upload.dir, key))) throw noSuchUpload(uploadId);
      // md5 first under a temporary name, so a crash never pairs a new part with an old md5.
      const md5Tmp = `${tmpPath}.md5`;
      await fs.writeFile(md5Tmp, md5Hex);
      await fs.rename(tmpPath, partPath);
      await fs.rename(md5Tmp, `${partPath}.md5`);
    });
    ctx.status = 200;
    ctx.set('ETag', JSON.stringify(md5Hex));
    ctx.body = '';
  } finally {
    await fs.rm(tmpPath, { force: true });
    await fs.rm(`${tmpPath}.md5`, { force: true });
  }
}

/**
 * CompleteMultipartUpload: validates the part list like S3 (order, ETags, minimum part size),
 * assembles the parts into a temporary file and renames it over the object, so readers see
 * either the old object or the whole new one. The ETag is S3's multipart form
 * `md5(md5(part1)…md5(partN))-N`, which also spares hashing the whole object again.
 *
 * @param {any} ctx
 * @param {any} store
 * @param {KeyedMutex} locks
 * @param {{ bucket: string, key: string, uploadId: string }} op
 */
async function completeUpload(ctx, store, locks, { bucket, key, uploadId }) {
  const requested = parseCompleteBody(await readSmallBody(ctx.req));
  const etag = await locks.run(uploadId, async () => {
    const upload = await requireUpload(store, bucket, key, uploadId);
    const stored = new Map((await readParts(upload.dir)).map((part) => [part.number, part]));
    const parts = requested.map(({ number, etag: requestedEtag }, index) => {
      const part = stored.get(number);
      if (!part || part.md5 !== requestedEtag) {
        throw new S3Error(
          'InvalidPart',
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          { UploadId: uploadId, PartNumber: number, ETag: requestedEtag },
        );
      }
      if (index < requested.length - 1 && part.size < MIN_PART_BYTES) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
          ProposedSize: part.size,
          MinSizeAllowed: MIN_PART_BYTES,
          PartNumber: number,
          ETag: requestedEtag,
        });
      }
      return part;
    });

    const metadata = JSON.parse(await fs.readFile(path.join(upload.dir, 'metadata'), 'utf8'));
    const assembled = path.join(upload.dir, 'assembled.tmp');
    await concatenate(
      parts.map((part) => path.join(upload.dir, String(part.number))),
      assembled,
    );
    const multipartEtag = `${createHash('md5')
      .update(Buffer.concat(parts.map((part) => Buffer.from(part.md5, 'hex'))))
      .digest('hex')}-${parts.length}`;

    const objectPath = store.getResourcePath(bucket, key, 'object');
    await fs.mkdir(path.dirname(objectPath), { recursive: true });
    // Metadata first: the rename is the moment the object appears, complete.
    await store.putMetadata(bucket, key, new S3Object(bucket, key, null, metadata).metadata, multipartEtag);
    await fs.rename(assembled, objectPath);
    await removeUploadDir(upload.dir);
    return multipartEtag;
  });

  ctx.body = {
    CompleteMultipartUploadResult: {
      '@': { xmlns: XMLNS },
      Location: ctx.href.split('?')[0],
      Bucket: bucket,
      Key: key,
      ETag: JSON.stringify(etag),
    },
  };
}

/**
 * Copies `files` one after another into `target`.
 *
 * @param {string[]} files
 * @param {string} target
 */
async function concatenate(files, target) {
  const buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  const output = await fs.open(target, 'w');
  try {
    for (const file of files) {
      const input = await fs.open(file, 'r');
      try {
        for (;;) {
          const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) break;
          for (let written = 0; written < bytesRead;) {
            written += (await output.write(buffer, written, bytesRead - written)).bytesWritten;
          }
        }
      } finally {
        await input.close();
      }
    }
  } finally {
    await output.close();
  }
}

/**
 * @param {string} xml
 * @returns {{ number: number, etag: string }[]}
 */
function parseCompleteBody(xml) {
  const malformed = () =>
    new S3Error(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema.',
    );
  if (xmlParser.validate(xml) !== true) throw malformed();
  // parseNodeValue: false keeps ETags such as 1234e567… as strings instead of numbers.
  const body = xmlParser.parse(xml, {
    parseNodeValue: false,
    tagValueProcessor: (/** @type {string} */ a) => he.decode(a),
  });
  const rawParts = body?.CompleteMultipartUpload?.Part;
  if (!rawParts) throw malformed();
  const parts = [rawParts].flat().map((part) => ({
    number: Number(part?.PartNumber),
    etag: String(part?.ETag ?? '')
      .replace(/"/g, '')
      .trim(),
  }));
  parts.forEach((part, index) => {
    if (!Number.isInteger(part.number) || part.number < 1 || part.number > MAX_PART_NUMBER) throw malformed();
    if (index > 0 && part.number <= parts[index - 1].number) {
      throw new S3Error(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
      );
    }
  });
  return parts;
}

async function readSmallBody(/** @type {NodeJS.ReadableStream} */ req) {
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_COMPLETE_BODY_BYTES) {
      throw new S3Error('MaxMessageLengthExceeded', 'Your request was too big.');
    }
    chunks.push(/** @type {Buffer} */ (chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** @param {any} store @param {string} bucket */
function uploadsDir(store, bucket) {
  return store.getResourcePath(bucket, undefined, 'uploads');
}

/**
 * Every upload of a bucket, read from s3rver's folders. An upload whose `key` file is missing
 * or still empty is being initiated or aborted, and is not listed.
 *
 * @param {any} store
 * @param {string} bucket
 * @returns {Promise<UploadInfo[]>}
 */
async function readUploads(store, bucket) {
  const root = uploadsDir(store, bucket);
  const ids = await fs.readdir(root).catch(ignoreMissing([]));
  const uploads = await Promise.all(
    ids
      .filter((id) => UPLOAD_ID.test(id))
      .map(async (uploadId) => {
        const keyFile = path.join(root, uploadId, 'key');
        try {
          const [key, stat] = await Promise.all([fs.readFile(keyFile, 'utf8'), fs.stat(keyFile)]);
          return key ? { key, uploadId, initiated: stat.mtime } : null;
        } catch (err) {
          return ignoreMissing(null)(err);
        }
      }),
  );
  return uploads.filter((upload) => upload !== null);
}

/**
 * @param {any} store
 * @param {string} bucket
 * @param {string} key
 * @param {string} uploadId
 */
async function requireUpload(store, bucket, key, uploadId) {
  if (!UPLOAD_ID.test(uploadId)) throw noSuchUpload(uploadId);
  const dir = path.join(uploadsDir(store, bucket), uploadId);
  if (!(await uploadExists(dir, key))) throw noSuchUpload(uploadId);
  return { dir };
}

/** An upload exists for a key when its folder names that key (S3 ties upload ids to keys). */
async function uploadExists(/** @type {string} */ dir, /** @type {string} */ key) {
  const stored = await fs.readFile(path.join(dir, 'key'), 'utf8').catch(ignoreMissing(null));
  return stored === key;
}

/**
 * The finished parts of an upload, by part number.
 *
 * @param {string} dir
 * @returns {Promise<PartInfo[]>}
 */
async function readParts(dir) {
  const names = await fs.readdir(dir).catch(ignoreMissing([]));
  const parts = await Promise.all(
    names
      .filter((name) => PART_FILE.test(name))
      .map(async (name) => {
        try {
          const file = path.join(dir, name);
          const [stat, md5] = await Promise.all([fs.stat(file), fs.readFile(`${file}.md5`, 'utf8')]);
          return { number: Number(name), size: stat.size, md5: md5.trim(), lastModified: stat.mtime };
        } catch (err) {
          return ignoreMissing(null)(err);
        }
      }),
  );
  return parts.filter((part) => part !== null).sort((a, b) => a.number - b.number);
}

/**
 * Removing the `key` file first makes the upload disappear at once for every other request;
 * the retries cover a part that is still being written into the folder.
 */
async function removeUploadDir(/** @type {string} */ dir) {
  await fs.rm(path.join(dir, 'key'), { force: true });
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}

/**
 * s3rver parses `bytes=-N` as `bytes=0-N`; suffix ranges need the object size, which only the
 * store knows, so they are rewritten into the equivalent open range before s3rver sees them.
 *
 * @param {any} ctx
 * @param {any} store
 */
async function rewriteSuffixRange(ctx, store) {
  const match = /^bytes=-(\d+)$/.exec(ctx.get('range'));
  if (!match || (ctx.method !== 'GET' && ctx.method !== 'HEAD') || Object.keys(ctx.query).length) return;
  const target = splitPath(ctx.path);
  if (!target?.key) return;
  const metadata = await store.getMetadata(target.bucket, target.key).catch(ignoreMissing(null));
  if (!metadata) return; // s3rver answers NoSuchKey
  const size = Number(metadata['content-length']);
  const length = Number(match[1]);
  // `bytes=-0` is unsatisfiable: a start at the size makes s3rver answer InvalidRange.
  ctx.headers.range = `bytes=${length === 0 ? size : Math.max(0, size - length)}-`;
}

/**
 * Wraps s3rver's `store.getObject`, whose range clamp reads an end of 0 as "to the end", so
 * `bytes=0-0` (a common probe for the size) returned the whole object.
 *
 * @param {any} store
 */
function fixRangedReads(store) {
  const original = store.getObject.bind(store);
  store.getObject = async (/** @type {string} */ bucket, /** @type {string} */ key, /** @type {any} */ options) => {
    if (options?.start !== 0 || options?.end !== 0) return original(bucket, key, options);
    const metadata = await store.getMetadata(bucket, key).catch(ignoreMissing(null));
    if (!metadata) return null;
    const range = { start: 0, end: 0 };
    if (Number(metadata['content-length']) === 0) {
      // No content with a range: s3rver answers InvalidRange.
      return Object.assign(new S3Object(bucket, key, null, metadata), { range });
    }
    const content = createReadStream(store.getResourcePath(bucket, key, 'object'), range);
    await new Promise((resolve, reject) => content.once('open', resolve).once('error', reject));
    return Object.assign(new S3Object(bucket, key, content, metadata), { range });
  };
}

/**
 * s3rver's deleteObject removes the object's files, then lists every folder above it
 * (readdirSync) to remove the ones left empty: each delete reads the whole folder, so purging
 * a folder of n objects costs n² directory entries and blocks the event loop. Here the object's
 * files go and then each folder above it is removed with rmdir, which refuses a folder that is
 * not empty (ENOTEMPTY, EEXIST) by itself, so no listing is needed. Deletes side by side
 * (DeleteObjects runs its keys in parallel) may race for a folder: ENOENT means another
 * delete removed it first, which is as good.
 *
 * @param {any} store
 */
function deleteWithoutListing(store) {
  store.deleteObject = async (/** @type {string} */ bucket, /** @type {string} */ key) => {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        fs.unlink(store.getResourcePath(bucket, key, resource)).catch(ignoreCodes('ENOENT')),
      ),
    );
    const bucketPath = path.resolve(store.getBucketPath(bucket));
    let folder = path.dirname(path.resolve(store.getResourcePath(bucket, key, 'object')));
    while (folder.startsWith(bucketPath + path.sep)) {
      const removed = await fs.rmdir(folder).then(() => true, ignoreCodes('ENOENT', 'ENOTEMPTY', 'EEXIST'));
      if (!removed) return;
      folder = path.dirname(folder);
    }
  };
}

/** A rejection handler that swallows these error codes (answering false) and rethrows the rest. */
function ignoreCodes(/** @type {string[]} */ ...codes) {
  return (/** @type {NodeJS.ErrnoException} */ err) => {
    if (!codes.includes(String(err?.code))) throw err;
    return false;
  };
}

function compareUploads(/** @type {UploadInfo} */ a, /** @type {UploadInfo} */ b) {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  const byTime = a.initiated.getTime() - b.initiated.getTime();
  if (byTime !== 0) return byTime;
  return a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0;
}

function ownerOf(/** @type {any} */ ctx) {
  const account = ctx.state.account ?? DUMMY_ACCOUNT;
  return { ID: account.id, DisplayName: account.displayName };
}

/** @param {unknown} value @param {string} name */
function parseMax(value, name) {
  const text = single(/** @type {any} */ (value));
  if (text === '') return MAX_LIST_ENTRIES;
  const number = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(number)) {
    throw new S3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, {
      ArgumentName: name,
      ArgumentValue: text,
    });
  }
  return Math.min(number, MAX_LIST_ENTRIES);
}

function parsePartNumberMarker(/** @type {string} */ text) {
  if (text === '') return 0;
  if (!/^\d+$/.test(text)) {
    throw new S3Error('InvalidArgument', 'Part number marker must be an integer', {
      ArgumentName: 'part-number-marker',
      ArgumentValue: text,
    });
  }
  return Number(text);
}

function parsePartNumber(/** @type {string} */ text) {
  const number = Number(text);
  if (!/^\d+$/.test(text) || number < 1 || number > MAX_PART_NUMBER) {
    throw new S3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, {
      ArgumentName: 'partNumber',
      ArgumentValue: text,
    });
  }
  return number;
}

/** @param {unknown} encodingType */
function encoderFor(encodingType) {
  const type = single(/** @type {any} */ (encodingType));
  if (type === '') return (/** @type {string} */ text) => text;
  if (type !== 'url') {
    throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', {
      ArgumentName: 'encoding-type',
      ArgumentValue: type,
    });
  }
  return (/** @type {string} */ text) => encodeURIComponent(text).replace(/%2F/g, '/');
}

/** An S3 error s3rver's table does not know, which would otherwise be answered as a 500. */
function clientError(/** @type {string} */ code, /** @type {string} */ message) {
  return Object.assign(new S3Error(code, message), { status: 400, expose: true });
}

function noSuchUpload(/** @type {string} */ uploadId) {
  return new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );
}

/**
 * @template T
 * @param {T} fallback
 * @returns {(err: unknown) => T}
 */
function ignoreMissing(fallback) {
  return (err) => {
    if (/** @type {NodeJS.ErrnoException} */ (err)?.code === 'ENOENT') return fallback;
    throw err;
  };
}

/** One queue per key: operations on the same upload run one at a time, others in parallel. */
class KeyedMutex {
  /** @type {Map<string, Promise<void>>} */
  #tails = new Map();

  /**
   * @template T
   * @param {string} key
   * @param {() => Promise<T>} task
   * @returns {Promise<T>}
   */
  async run(key, task) {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    /** @type {() => void} */
    let release = () => {};
    const current = new Promise((resolve) => (release = () => resolve(undefined)));
    const tail = previous.then(() => current);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

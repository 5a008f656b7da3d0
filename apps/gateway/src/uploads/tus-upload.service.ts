import type { filesV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode, toEnvelope } from '@lexy/server-errors';
import { currentRequestContext } from '@lexy/server-logging';
import { DEFAULT_PART_SIZE_BYTES, MAX_PARTS, type ObjectStorage } from '@lexy/server-storage';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Server, type ServerOptions } from '@tus/server';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sendNodeResponse } from 'srvx/node';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { FILES_CLIENT, type FilesClient } from '../grpc/grpc-clients.js';
import { GroupLimitsCache } from '../throttle/group-limits.cache.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { Caller } from '../identity/caller.js';
import { REDIS, REDIS_SUBSCRIBER } from '../redis/redis.provider.js';
import { OBJECT_STORAGE } from '../files/storage.provider.js';
import { withExpectedChecksum, type ExpectedChecksum } from './chunk-checksum.js';
import { ObjectStorageTusStore } from './object-storage-tus-store.js';
import { RedisLocker } from './redis-locker.js';
import { uncopiedBodyRequest } from './request-body-stream.js';
import { tusErrorToDomainError } from './tus-errors.js';
import { readUploadMetadata } from './upload-metadata.js';
import { UploadDigests } from './upload-digests.js';
import { UploadStateStore, type UploadState } from './upload-state.js';
import { allowedOrigins } from '../http/cross-origin.js';

/** Where tus lives in the public API; upload URLs are this path plus the upload id. */
export const TUS_PATH = '/api/v1/uploads';
/** Largest object S3 can assemble from our parts: the advertised Tus-Max-Size for unlimited groups. */
const PLATFORM_MAX_BYTES = MAX_PARTS * 512 * 1024 * 1024;

/** Upload ids are the files service's UUIDs; anything else is not looked up at all. */
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Resumable uploads (tus 1.0) on @tus/server. The files service decides everything about an
 * upload (reservation, object key, name), as for the other upload paths: an upload begins
 * when the tus server names it, and becomes a file when its last byte is stored.
 */
@Injectable()
export class TusUploadService implements OnModuleDestroy {
  private readonly logger = new Logger('tus');
  private readonly states: UploadStateStore;
  private readonly digests = new UploadDigests();
  private readonly server: Server;
  private readonly origins: ReadonlySet<string>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(FILES_CLIENT) private readonly files: FilesClient,
    private readonly groupLimits: GroupLimitsCache,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    metrics: GatewayMetrics,
  ) {
    this.states = new UploadStateStore(redis);
    this.origins = allowedOrigins(config.PUBLIC_URL, config.GATEWAY_CLIENT_ORIGINS);
    const store = new ObjectStorageTusStore(storage, this.states, this.digests, (state) => this.abandon(state), {
      partSizeBytes: DEFAULT_PART_SIZE_BYTES,
      expirationMs: config.TUS_UPLOAD_EXPIRY_SECONDS * 1000,
      bodyStarted: () => metrics.uploadStarted('tus'),
      onBytes: (bytes) => metrics.uploaded('tus', bytes),
    });
    const options: ServerOptions & { datastore: ObjectStorageTusStore } = {
      path: TUS_PATH,
      datastore: store,
      locker: new RedisLocker(redis, subscriber),
      relativeLocation: true,
      disableTerminationForFinishedUploads: true,
      exposedHeaders: ['X-Pickup-Code', 'X-File-Id', 'X-Request-Id', 'Retry-After'],
      // The same origins as the rest of the API (crossOriginMiddleware); tus would answer `*` otherwise.
      allowedOrigins: (origin) => this.origins.has(origin),
      namingFunction: (request) => this.begin(request.headers),
      maxSize: () => this.maxSizeForCaller(),
      onUploadFinish: async (_request, upload) => ({ headers: await this.finish(upload.id) }),
      onResponseError: (_request, error) => {
        const domain = error instanceof DomainError ? error : tusErrorToDomainError(error);
        if (domain.code === ErrorCode.INTERNAL) this.logger.error(`tus: ${(error as Error).message ?? domain.message}`);
        return { status_code: domain.httpStatus, body: JSON.stringify(toEnvelope(domain)) };
      },
    };
    this.server = new Server(options);
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber.disconnect();
  }

  /** The upload's record, if `caller` may see it; anyone else's upload does not exist for them. */
  async stateFor(caller: Caller, id: string): Promise<UploadState | null> {
    if (!UPLOAD_ID.test(id)) return null;
    const state = await this.states.get(id);
    return state && state.caller.ownerId === caller.ownerId ? state : null;
  }

  /** Serves one tus request; `checksum` is the parsed Upload-Checksum of a PATCH. */
  async handle(request: Request, response: Response, checksum: ExpectedChecksum | undefined): Promise<void> {
    const tusResponse = await withExpectedChecksum(checksum, () =>
      this.server.handleWeb(uncopiedBodyRequest(request, response)),
    );
    // Every error body is our JSON envelope (onResponseError); say so.
    if (tusResponse.status >= 400) tusResponse.headers.set('Content-Type', 'application/json; charset=utf-8');
    await sendNodeResponse(response, tusResponse);
  }

  /** The file a finished upload became; finishes it first when its bytes are all stored but it is not yet a file. */
  async fileOf(state: UploadState): Promise<filesV1.File> {
    if (state.offset !== state.size) {
      throw new DomainError(ErrorCode.NOT_FOUND, 'The upload is not complete yet', {
        offset: state.offset,
        size: state.size,
      });
    }
    const fileId = state.fileId ?? (await this.finish(state.id))['X-File-Id'];
    const { file } = await this.files.getFile({ fileId });
    if (!file) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    return file;
  }

  /**
   * Gives up an upload for good: the multipart upload and tail object, the record, and the
   * reservation (through the files service, acting for the upload's caller). Used by
   * termination and by a failed checksum; each step tolerates having been done already.
   */
  async abandon(state: UploadState): Promise<void> {
    if (state.fileId) return; // a file now: its bytes and storage belong to it
    if (state.multipartId) await this.storage.abortMultipart(state.objectKey, state.multipartId);
    if (state.tailKey) await this.storage.remove(state.tailKey);
    await this.files.abortUpload({ uploadId: state.id });
    await this.states.delete(state.id);
    this.digests.forget(state.id);
  }

  /** Begins an upload for the caller of this request (tus' naming step): its id is the files service's. */
  private async begin(headers: Headers): Promise<string> {
    const caller = currentCaller();
    const size = Number(headers.get('upload-length'));
    const metadata = readUploadMetadata(headers.get('upload-metadata'));
    const begun = await this.files.beginUpload({
      name: metadata.name,
      mimeType: metadata.mimeType,
      declaredSizeBytes: size,
      downloadLimit: metadata.downloadLimit,
      pin: metadata.pin,
      expiresInSeconds: this.config.TUS_UPLOAD_EXPIRY_SECONDS,
    });
    const createdAt = new Date();
    await this.states.save({
      id: begun.uploadId,
      caller,
      objectKey: begun.objectKey,
      mimeType: metadata.mimeType,
      size,
      offset: 0,
      metadata: metadata.echoed,
      createdAt: createdAt.toISOString(),
      expiresAt: new Date(createdAt.getTime() + this.config.TUS_UPLOAD_EXPIRY_SECONDS * 1000).toISOString(),
      multipartId: null,
      parts: [],
      tailKey: null,
      tailBytes: 0,
      ...(metadata.sha256 ? { declaredSha256: metadata.sha256 } : {}),
    });
    return begun.uploadId;
  }

  /** Commits a fully stored upload as a file (once) and returns the headers that announce it. */
  private async finish(id: string): Promise<Record<string, string>> {
    const state = await this.states.get(id);
    if (!state || state.offset !== state.size) throw new DomainError(ErrorCode.NOT_FOUND, 'Upload not found');
    if (state.size === 0 && !state.sha256) {
      await this.storage.putStream(state.objectKey, Readable.from([]), { sizeBytes: 0, contentType: state.mimeType });
    }
    state.sha256 ??= this.digests.take(id, state.size) ?? (await this.hashStoredObject(state.objectKey));
    if (state.declaredSha256 !== undefined && state.declaredSha256 !== state.sha256) {
      // Changed on the way or declared wrong (UP-05 c, d): never published, and nothing kept
      // (the multipart upload is already complete, so its object goes too).
      await this.storage.remove(state.objectKey);
      await this.abandon(state);
      throw new DomainError(
        ErrorCode.CHECKSUM_MISMATCH,
        'The file does not match the sha256 declared in Upload-Metadata; nothing was kept',
        { declared: state.declaredSha256, actual: state.sha256 },
        422,
      );
    }
    await this.states.save(state);
    const { file } = await this.files
      .commitUpload({ uploadId: id, sizeBytes: state.size, sha256: state.sha256 })
      .catch(async (error: unknown) => {
        // Taken-down bytes (AZ-06): the files service kept nothing, and neither does the gateway.
        if (error instanceof DomainError && error.code === ErrorCode.UPLOAD_BLOCKED) {
          await this.storage.remove(state.objectKey);
          await this.abandon(state);
        }
        throw error;
      });
    if (!file) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
    state.fileId = file.id;
    state.pickupCode = file.code;
    await this.states.save(state);
    return { 'X-Pickup-Code': file.code, 'X-File-Id': file.id };
  }

  /** The upload's bytes were not all seen by this process (another replica, a restart): hash them once. */
  private async hashStoredObject(key: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of await this.storage.getStream(key)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  /** Tus-Max-Size and the creation check: the caller's group maximum, else what S3 can hold. */
  private async maxSizeForCaller(): Promise<number> {
    const group = currentRequestContext()?.caller?.group;
    if (!group) return PLATFORM_MAX_BYTES;
    const { maxFileBytes } = await this.groupLimits.get(group);
    return Math.min(maxFileBytes ?? PLATFORM_MAX_BYTES, PLATFORM_MAX_BYTES);
  }
}

function currentCaller(): Caller {
  const caller = currentRequestContext()?.caller;
  if (!caller) throw new Error('tus request without a caller: CallerGuard did not run');
  return caller as Caller;
}

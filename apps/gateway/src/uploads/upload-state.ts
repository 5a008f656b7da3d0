import type { Redis } from 'ioredis';
import type { Caller } from '../identity/caller.js';

/** One stored part of an upload's multipart object. */
export interface StoredPart {
  part: number;
  etag: string;
  size: number;
}

/**
 * Everything a gateway replica needs to continue a tus upload that another one started.
 * The bytes are in object storage (the parts of one multipart upload, plus at most one
 * small "tail" object for bytes that did not yet fill a part); this record says which.
 */
export interface UploadState {
  /** The files service's upload id, which is also the tus id in the upload URL. */
  id: string;
  /** Who began it: only this caller may continue, inspect or end it. */
  caller: Caller;
  objectKey: string;
  mimeType: string;
  size: number;
  /** Bytes stored so far: the parts plus the tail. */
  offset: number;
  /** Upload-Metadata as the client sent it (HEAD echoes it back). */
  metadata: Record<string, string | null>;
  createdAt: string;
  expiresAt: string;
  /** The S3 multipart upload, once created (none for an empty file). */
  multipartId: string | null;
  parts: StoredPart[];
  /** Object holding bytes after the last part (fewer than S3's 5 MiB part minimum), or null. */
  tailKey: string | null;
  tailBytes: number;
  /** Hex SHA-256 of the whole file, once every byte is stored and it was computed. */
  sha256?: string;
  /** The hex SHA-256 the client declared at creation (metadata `sha256`), if it did. */
  declaredSha256?: string;
  /** The committed file, once the upload became one. */
  fileId?: string;
  pickupCode?: string;
}

const PREFIX = 'lexy:tus:upload:';
/** Upload ids by expiry time (ms), for the janitor that gives up abandoned uploads. */
export const EXPIRY_INDEX = 'lexy:tus:expiring';
/** A finished upload's record is kept a while, so a client that lost the answer can still ask. */
const FINISHED_RECORD_SECONDS = 3600;
/** Unfinished records outlive their expiry a little, so the janitor still finds what to clean. */
const EXPIRED_RECORD_GRACE_SECONDS = 24 * 3600;

/** Upload records in Redis, shared by every gateway replica. */
export class UploadStateStore {
  constructor(private readonly redis: Redis) {}

  async get(id: string): Promise<UploadState | null> {
    const raw = await this.redis.get(PREFIX + id);
    return raw ? (JSON.parse(raw) as UploadState) : null;
  }

  /** Writes the record; an unfinished one is (re)indexed by its expiry, a finished one leaves the index. */
  async save(state: UploadState): Promise<void> {
    const finished = state.fileId !== undefined;
    const ttl = finished
      ? FINISHED_RECORD_SECONDS
      : Math.max(1, Math.ceil((Date.parse(state.expiresAt) - Date.now()) / 1000)) + EXPIRED_RECORD_GRACE_SECONDS;
    const multi = this.redis.multi().set(PREFIX + state.id, JSON.stringify(state), 'EX', ttl);
    if (finished) multi.zrem(EXPIRY_INDEX, state.id);
    else multi.zadd(EXPIRY_INDEX, Date.parse(state.expiresAt), state.id);
    await multi.exec();
  }

  async delete(id: string): Promise<void> {
    await this.redis
      .multi()
      .del(PREFIX + id)
      .zrem(EXPIRY_INDEX, id)
      .exec();
  }

  /** Ids whose expiry has passed, oldest first. */
  dueForExpiry(nowMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(EXPIRY_INDEX, 0, nowMs, 'LIMIT', 0, limit);
  }

  /** Takes an expired id off the index; true for exactly one of several replicas racing for it. */
  async claimExpired(id: string): Promise<boolean> {
    return (await this.redis.zrem(EXPIRY_INDEX, id)) === 1;
  }
}

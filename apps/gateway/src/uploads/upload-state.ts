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
/** A finished upload's record is kept a while, so a client that lost the answer can still ask. */
const FINISHED_RECORD_SECONDS = 3600;
/**
 * Unfinished records outlive their expiry a little, so a client asking after it learns that the
 * upload expired (410) rather than that it never existed. The cleanup worker gives up its bytes
 * and reservation once the files service's upload session expires (at the same moment).
 */
const EXPIRED_RECORD_GRACE_SECONDS = 24 * 3600;

/** Upload records in Redis, shared by every gateway replica. */
export class UploadStateStore {
  constructor(private readonly redis: Redis) {}

  async get(id: string): Promise<UploadState | null> {
    const raw = await this.redis.get(PREFIX + id);
    return raw ? (JSON.parse(raw) as UploadState) : null;
  }

  async save(state: UploadState): Promise<void> {
    const ttl =
      state.fileId !== undefined
        ? FINISHED_RECORD_SECONDS
        : Math.max(1, Math.ceil((Date.parse(state.expiresAt) - Date.now()) / 1000)) + EXPIRED_RECORD_GRACE_SECONDS;
    await this.redis.set(PREFIX + state.id, JSON.stringify(state), 'EX', ttl);
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(PREFIX + id);
  }
}

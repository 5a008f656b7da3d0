import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '@lexy/server-database';

/**
 * active → expired (retention ended; restorable until purge_at) → purging (claimed for purge,
 * or deleted by its owner: never resolves, invisible to its owner) → the row is deleted.
 */
export type FileRowStatus = 'active' | 'expired' | 'purging';

/** The states an owner sees; a purging file is gone for them. */
export const OWNER_VISIBLE_STATUSES: readonly FileRowStatus[] = ['active', 'expired'];

/**
 * The expiry a file that never expires sorts as: the latest datetime. The column
 * `expires_sort` (not mapped here) holds expires_at or this (migration AdminConsole).
 */
export const NEVER_EXPIRES = new Date('9999-12-31T23:59:59.999Z');

/** A committed file. The pickup code exists only as its HMAC and the owner's encrypted copy. */
export interface FileEntity {
  id: string;
  uploadId: string;
  ownerId: string;
  reservationId: string;
  name: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  objectKey: string;
  codeHmac: string | null;
  codeCiphertext: string | null;
  status: FileRowStatus;
  createdAt: Date;
  expiresAt: Date | null;
  purgeAt: Date | null;
  downloads: number;
  downloadLimit: number | null;
  pinHash: string | null;
  /** HMAC of the share link's token (lookups compare it), and the owner's encrypted copy. */
  linkTokenHmac: string | null;
  linkTokenCiphertext: string | null;
  /** Wrong PINs of code-only pickups in the current hour window, and the lock they set. */
  pinFailures: number;
  pinWindowStartedAt: Date | null;
  pinLockedUntil: Date | null;
  /** Wrong PINs of code-only pickups over the file's lifetime (reset only by the owner). */
  pinFailuresTotal: number;
  /** When a purge worker claimed the file; NULL for an owner's deletion not yet claimed. */
  purgeClaimedAt: Date | null;
  /** When the reconciler found the object gone or of the wrong size; the file stops resolving. */
  objectMissingAt: Date | null;
}

export const FileSchema = new EntitySchema<FileEntity>({
  name: 'File',
  tableName: 'files',
  columns: {
    id: { type: 'char', length: 36, primary: true },
    uploadId: { name: 'upload_id', type: 'char', length: 36 },
    ownerId: { name: 'owner_id', type: 'varchar', length: 96 },
    reservationId: { name: 'reservation_id', type: 'char', length: 36 },
    name: { type: 'varchar', length: 255 },
    mimeType: { name: 'mime_type', type: 'varchar', length: 255 },
    sizeBytes: { name: 'size_bytes', type: 'bigint', transformer: bigintAsNumber },
    sha256: { type: 'char', length: 64 },
    objectKey: { name: 'object_key', type: 'varchar', length: 64 },
    codeHmac: { name: 'code_hmac', type: 'char', length: 64, nullable: true },
    codeCiphertext: { name: 'code_ciphertext', type: 'varchar', length: 255, nullable: true },
    status: { type: 'enum', enum: ['active', 'expired', 'purging'] },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    expiresAt: { name: 'expires_at', type: 'datetime', precision: 3, nullable: true },
    purgeAt: { name: 'purge_at', type: 'datetime', precision: 3, nullable: true },
    downloads: { type: 'int' },
    downloadLimit: { name: 'download_limit', type: 'int', nullable: true },
    pinHash: { name: 'pin_hash', type: 'varchar', length: 255, nullable: true },
    linkTokenHmac: { name: 'link_token_hmac', type: 'char', length: 64, nullable: true },
    linkTokenCiphertext: { name: 'link_token_ciphertext', type: 'varchar', length: 255, nullable: true },
    pinFailures: { name: 'pin_failures', type: 'int', default: 0 },
    pinWindowStartedAt: { name: 'pin_window_started_at', type: 'datetime', precision: 3, nullable: true },
    pinLockedUntil: { name: 'pin_locked_until', type: 'datetime', precision: 3, nullable: true },
    pinFailuresTotal: { name: 'pin_failures_total', type: 'int', default: 0 },
    purgeClaimedAt: { name: 'purge_claimed_at', type: 'datetime', precision: 3, nullable: true },
    objectMissingAt: { name: 'object_missing_at', type: 'datetime', precision: 3, nullable: true },
  },
});

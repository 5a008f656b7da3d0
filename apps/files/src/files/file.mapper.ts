import { filesV1, toTimestamp } from '@lexy/contracts-grpc';
import type { FileEntity } from './file.entity.js';
import { isPinClosed } from './pin-attempt-policy.js';

const STATUS: Record<FileEntity['status'], filesV1.FileStatus> = {
  active: filesV1.FileStatus.FILE_STATUS_ACTIVE,
  expired: filesV1.FileStatus.FILE_STATUS_EXPIRED,
  // Never shown: owners do not see purging files. Were one shown, it is at least not active.
  purging: filesV1.FileStatus.FILE_STATUS_EXPIRED,
};

const optionalTimestamp = (date: Date | null) => (date ? toTimestamp(date) : undefined);

/**
 * An active row whose retention has ended is expired for its owner at once, before the cleanup
 * job rewrites the row (its code already stopped resolving: pickups compare with the DB clock).
 */
export function ownerStatus(entity: FileEntity, now: Date): filesV1.FileStatus {
  if (entity.status === 'active' && entity.expiresAt !== null && entity.expiresAt.getTime() <= now.getTime()) {
    return filesV1.FileStatus.FILE_STATUS_EXPIRED;
  }
  return STATUS[entity.status];
}

/** What the owner's and an administrator's views of a file share. */
function sharedFields(entity: FileEntity, now: Date) {
  return {
    id: entity.id,
    name: entity.name,
    sizeBytes: entity.sizeBytes,
    mimeType: entity.mimeType,
    sha256: entity.sha256,
    status: ownerStatus(entity, now),
    createdAt: toTimestamp(entity.createdAt),
    expiresAt: optionalTimestamp(entity.expiresAt),
    purgeAt: optionalTimestamp(entity.purgeAt),
    downloads: entity.downloads,
    ...(entity.downloadLimit === null ? {} : { downloadLimit: entity.downloadLimit }),
    pinProtected: entity.pinHash !== null,
  };
}

/**
 * The owner's view of a file; `code` is the decrypted pickup code ('' when none is held)
 * and `linkToken` the decrypted share-link token (null when the file has none).
 */
export function toFile(entity: FileEntity, code: string, linkToken: string | null, now = new Date()): filesV1.File {
  return {
    ...sharedFields(entity, now),
    code,
    ...(linkToken === null ? {} : { linkToken }),
    pinLocked: entity.pinHash !== null && isPinClosed(entity.pinFailuresTotal),
  };
}

/** An administrator's view of a file: its owner, and no pickup code, share link or PIN. */
export function toAdminFile(entity: FileEntity, now = new Date()): filesV1.AdminFile {
  return { ...sharedFields(entity, now), ownerId: entity.ownerId };
}

/** What anyone holding the code may see: nothing about the owner. */
export function toPickupFile(entity: FileEntity): filesV1.PickupFile {
  return {
    name: entity.name,
    sizeBytes: entity.sizeBytes,
    mimeType: entity.mimeType,
    expiresAt: optionalTimestamp(entity.expiresAt),
    sha256: entity.sha256,
  };
}

export function toStoredObject(entity: FileEntity): filesV1.StoredObject {
  return { objectKey: entity.objectKey, sizeBytes: entity.sizeBytes };
}

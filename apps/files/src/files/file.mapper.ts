import { filesV1, toTimestamp } from '@lexy/contracts-grpc';
import type { FileEntity } from './file.entity.js';

const STATUS: Record<FileEntity['status'], filesV1.FileStatus> = {
  active: filesV1.FileStatus.FILE_STATUS_ACTIVE,
  expired: filesV1.FileStatus.FILE_STATUS_EXPIRED,
};

const optionalTimestamp = (date: Date | null) => (date ? toTimestamp(date) : undefined);

/** The owner's view of a file; `code` is the decrypted pickup code ('' when none is held). */
export function toFile(entity: FileEntity, code: string): filesV1.File {
  return {
    id: entity.id,
    name: entity.name,
    sizeBytes: entity.sizeBytes,
    mimeType: entity.mimeType,
    sha256: entity.sha256,
    code,
    status: STATUS[entity.status],
    createdAt: toTimestamp(entity.createdAt),
    expiresAt: optionalTimestamp(entity.expiresAt),
    purgeAt: optionalTimestamp(entity.purgeAt),
    downloads: entity.downloads,
    ...(entity.downloadLimit === null ? {} : { downloadLimit: entity.downloadLimit }),
    pinProtected: entity.pinHash !== null,
  };
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

import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { FileEntity } from './file.entity.js';

/** How long an expired file stays restorable before it is purged (api.md). */
export const REDEMPTION_MS = 7 * 24 * 60 * 60 * 1000;
export const REDEMPTION_SECONDS = REDEMPTION_MS / 1000;

/**
 * Where a file of the owner stands for RestoreFile at `now` (the database clock), by the
 * same conditions as the restoring UPDATE (FilesRepository.restoreFile):
 * - `missing`: the owner has no such file;
 * - `past-window`: it is being purged (claimed, or deleted by its owner) or its redemption
 *   window has closed;
 * - `unexpired`: it is still active (or never expires), so there is nothing to restore;
 * - `restorable`: expired and inside its window.
 */
export type RestoreStanding = 'missing' | 'past-window' | 'unexpired' | 'restorable';

export function restoreStanding(file: FileEntity | null, now: Date): RestoreStanding {
  if (!file) return 'missing';
  if (file.status === 'purging') return 'past-window';
  if (file.expiresAt === null || file.expiresAt.getTime() > now.getTime()) return 'unexpired';
  if (file.purgeAt === null || file.purgeAt.getTime() <= now.getTime()) return 'past-window';
  return 'restorable';
}

/**
 * The file of a restore that restored nothing, from the file as it is now: NOT_FOUND when
 * there is none, FILE_EXPIRED (with its purgeAt) past its window, else the file unchanged —
 * it is not expired (restoring is idempotent), or it expired only between the UPDATE and
 * this read, and may be restored again.
 */
export function unrestoredFile(file: FileEntity | null, standing: RestoreStanding): FileEntity {
  if (!file || standing === 'missing') throw new DomainError(ErrorCode.NOT_FOUND, 'File not found');
  if (standing === 'past-window') {
    throw new DomainError(ErrorCode.FILE_EXPIRED, 'The file is past its redemption window', {
      ...(file.purgeAt ? { purgeAt: file.purgeAt.toISOString() } : {}),
    });
  }
  return file;
}

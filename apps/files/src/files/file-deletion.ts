import type { FileChanges } from './file-changes.js';
import type { FileEntity } from './file.entity.js';
import type { PurgeQueue } from './purge-queue.js';

/**
 * The row change of a deletion, whoever makes it (the owner or an administrator): the file is
 * purging, unclaimed, so the next purge (its queued job, or the purge tick) takes it. From then
 * on its code no longer resolves and its owner no longer sees it.
 */
export const DELETED_ROW: Pick<FileEntity, 'status' | 'purgeClaimedAt'> = { status: 'purging', purgeClaimedAt: null };

/**
 * What follows a committed deletion: the gateways drop what they remember of the file and cut
 * its downloads in flight, and its purge (object, then storage accounting: the cleanup worker's
 * crash-safe sequence) is queued so it runs within seconds. Neither step fails the deletion.
 */
export async function followDeletion(fileId: string, changes: FileChanges, purgeQueue: PurgeQueue): Promise<void> {
  await changes.announceDeletion(fileId);
  await purgeQueue.requestPurge(fileId);
}

/**
 * Pub/sub channels between services. Messages are hints for caches, never the record: a
 * subscriber that was disconnected may have missed some and must forget what they guard.
 */

/**
 * The files service publishes a file's id here after every change to a file that pickup
 * lookups may have seen (deleted, expired, restored, purged), so gateways drop what they
 * remember of it (apps/gateway/src/files/pickup-view-cache.ts).
 */
export const FILE_CHANGES_CHANNEL = 'lexy:files:changed';

/**
 * The files service publishes a file id here when the file is deleted (by its owner or an
 * administrator): every gateway cuts the downloads of it that are still streaming.
 */
export const FILE_REMOVED_CHANNEL = 'lexy:files:removed';

/** Ids as the files service stores them (lower-case UUIDs); it refuses a batch with any other. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** Where file objects live (files.service: `files/<ulid>`). */
export const FILE_OBJECTS_PREFIX = 'files/';
/** Where the gateway's tus store keeps the tails of uploads: `uploads/<uploadId>/tail-<offset>`. */
export const UPLOAD_TAILS_PREFIX = 'uploads/';

export function tailPrefixOf(uploadId: string): string {
  return `${UPLOAD_TAILS_PREFIX}${uploadId}/`;
}

/** The upload id a tail key belongs to, or null for a key outside that layout. */
export function uploadIdOfTail(key: string): string | null {
  if (!key.startsWith(UPLOAD_TAILS_PREFIX)) return null;
  const end = key.indexOf('/', UPLOAD_TAILS_PREFIX.length);
  const id = end === -1 ? '' : key.slice(UPLOAD_TAILS_PREFIX.length, end);
  return isId(id) ? id : null;
}

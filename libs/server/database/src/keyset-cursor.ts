// Keyset paging for "newest first" lists (ListFiles, ListTransfers): a cursor names the last
// item of a page, and the next page starts strictly after it in (created_at, id) order.

/** Where a page ended: the last item's creation time and id. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

/** A lower-case UUID, the shape of every row id a cursor may name. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Opaque to clients: base64url of the last item's creation time and id. */
export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/** The position a cursor names, or null when it is not one this platform made. */
export function decodeKeysetCursor(cursor: string): KeysetPosition | null {
  if (cursor.length > 128 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const [time, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (time === undefined || id === undefined || rest.length > 0) return null;
  if (!ISO_MILLIS.test(time) || !UUID.test(id)) return null;
  const createdAt = new Date(time);
  return Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== time ? null : { createdAt, id };
}

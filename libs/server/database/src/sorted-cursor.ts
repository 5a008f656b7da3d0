// Keyset paging for lists sorted by a key of the caller's choice (an admin list by email, by
// size…): a cursor names the last item's sort value and id, and the next page starts strictly
// after it in (value, id) order. Unlike the plain keyset cursor it is bound to the list it came
// from, its sort, direction and filters (the "scope"), so a cursor of another list is refused
// instead of silently starting somewhere else.
import { createHash } from 'node:crypto';
import { UUID } from './keyset-cursor.js';

/** Where a page ended: the last item's sort value and id. */
export interface SortedPosition {
  value: string | number;
  id: string;
}

// A sort value is at most a long email or file name; anything much longer was not made here.
const MAX_CURSOR_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Opaque to clients: base64url of the scope's digest, the last item's sort value and its id. */
export function encodeSortedCursor(scope: string, position: SortedPosition): string {
  return Buffer.from(JSON.stringify([scopeTag(scope), position.value, position.id]), 'utf8').toString('base64url');
}

/** The position a cursor names, or null when it is not one this list (`scope`) gave out. */
export function decodeSortedCursor(scope: string, cursor: string): SortedPosition | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [tag, value, id] = parsed as unknown[];
  if (tag !== scopeTag(scope) || typeof id !== 'string' || !UUID.test(id)) return null;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return { value, id };
  return null;
}

// A digest rather than the scope itself: filters (a search text) stay out of the cursor.
function scopeTag(scope: string): string {
  return createHash('sha256').update(scope, 'utf8').digest('base64url').slice(0, 22);
}

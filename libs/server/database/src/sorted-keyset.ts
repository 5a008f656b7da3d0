// Keyset paging for lists sorted by a chosen key (the admin lists): the next page starts
// strictly after the last item in (sort value, id) order. The cursor is bound to the list it
// came from (its "scope": the sort, direction and filters), since a position in one order means
// nothing in another; a cursor of another list is refused instead of starting somewhere else.
import { createHash } from 'node:crypto';

export type SortDirection = 'asc' | 'desc';

/** The value of a sort key, as a cursor carries it. */
export type SortValue = Date | number | string;

/**
 * One sort key of a list: its column (as the query names it, never NULL: give a nullable
 * column a generated stand-in) and what its values are.
 */
export interface SortKey {
  column: string;
  kind: 'date' | 'integer' | 'string';
}

/** Where a page ended: the last item's sort value and id. */
export interface SortPosition {
  value: SortValue;
  id: string;
}

/** A WHERE condition with its named parameters. */
export interface SqlCondition {
  sql: string;
  parameters: Record<string, unknown>;
}

/** A cursor names one short value (a name of at most 255 characters at most 4 bytes each). */
const MAX_CURSOR_LENGTH = 2048;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Opaque to clients: base64url of the scope's digest (the sort, direction and filters the page
 * was read with), the last item's sort value and its id.
 */
export function encodeSortCursor(scope: string, position: SortPosition): string {
  const value = position.value instanceof Date ? position.value.toISOString() : position.value;
  return Buffer.from(JSON.stringify([scopeTag(scope), value, position.id]), 'utf8').toString('base64url');
}

// A digest rather than the scope itself: filters (a search text) stay out of the cursor.
function scopeTag(scope: string): string {
  return createHash('sha256').update(scope, 'utf8').digest('base64url').slice(0, 22);
}

/** The position a cursor names, or null when it is not one made for this scope and key. */
export function decodeSortCursor(cursor: string, scope: string, key: SortKey): SortPosition | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length !== 3) return null;
  const [cursorScope, raw, id] = parts as unknown[];
  if (cursorScope !== scopeTag(scope) || typeof id !== 'string' || !UUID.test(id)) return null;
  const value = sortValueOf(raw, key);
  return value === undefined ? null : { value, id };
}

/** A cursor's value if it is one of the key's kind; undefined otherwise. */
function sortValueOf(raw: unknown, key: SortKey): SortValue | undefined {
  switch (key.kind) {
    case 'integer':
      return Number.isSafeInteger(raw) ? (raw as number) : undefined;
    case 'string':
      return typeof raw === 'string' ? raw : undefined;
    case 'date': {
      if (typeof raw !== 'string' || !ISO_MILLIS.test(raw)) return undefined;
      const date = new Date(raw);
      return Number.isNaN(date.getTime()) || date.toISOString() !== raw ? undefined : date;
    }
  }
}

/** The ORDER BY terms of the list: the key, then the id, so the order is total. */
export function sortOrderBy(key: SortKey, idColumn: string, direction: SortDirection): Array<[string, 'ASC' | 'DESC']> {
  const order = direction === 'asc' ? 'ASC' : 'DESC';
  return [
    [key.column, order],
    [idColumn, order],
  ];
}

/** The rows strictly after `after` in the order of sortOrderBy. */
export function sortAfter(key: SortKey, idColumn: string, direction: SortDirection, after: SortPosition): SqlCondition {
  const { column } = key;
  const beyond = direction === 'asc' ? '>' : '<';
  return {
    sql: `(${column} ${beyond} :keysetValue OR (${column} = :keysetValue AND ${idColumn} ${beyond} :keysetId))`,
    parameters: { keysetValue: after.value, keysetId: after.id },
  };
}

import type { commonV1 } from '@lexy/contracts-grpc';
import { fromTimestamp } from '@lexy/contracts-grpc';
import { encodeKeysetCursor } from '@lexy/server-database/keyset-cursor';

/** One service's page of its audit log, newest first. */
export interface AuditPage {
  items: commonV1.AuditEntry[];
  nextCursor: string;
}

const atMs = (entry: commonV1.AuditEntry) => fromTimestamp(entry.at)?.getTime() ?? 0;

/** Newest first; ties broken by id (UUIDv7), as every service orders its own log. */
function newestFirst(a: commonV1.AuditEntry, b: commonV1.AuditEntry): number {
  return atMs(b) - atMs(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * Each service keeps the audit entries of the actions it carried out. Asked with the same
 * (at, id) cursor, every service answers the `limit` entries that follow it in its own log; the
 * first `limit` of them all, in the same order, are the next page of the whole log, and the
 * position of the last one is the cursor of the page after.
 */
export function mergeAuditPages(
  pages: AuditPage[],
  limit: number,
): { items: commonV1.AuditEntry[]; nextCursor: string | null } {
  const merged = pages.flatMap((page) => page.items).sort(newestFirst);
  const items = merged.slice(0, limit);
  const more = merged.length > limit || pages.some((page) => page.nextCursor !== '');
  const last = items.at(-1);
  return {
    items,
    nextCursor: more && last ? encodeKeysetCursor({ createdAt: new Date(atMs(last)), id: last.id }) : null,
  };
}

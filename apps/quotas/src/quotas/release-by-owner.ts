import type { OwnedRow } from './quota.repository.js';

/** What one owner's transaction gave back: the ids whose rows it deleted and their bytes. */
export interface OwnerRelease {
  ids: string[];
  bytes: number;
}

export interface ReleaseTotals {
  released: number;
  releasedBytes: number;
}

/**
 * A row can change owner between the look-up and the lock (MoveFileStorage hands a ledger
 * row to another account); it is looked up again, a few times at most, so a file moving
 * back and forth cannot keep a call busy. What is left is released by the next call.
 */
const MAX_ROUNDS = 3;

/** The ids of each owner, in the order their rows came. */
export function groupByOwner(rows: readonly OwnedRow[]): Map<string, string[]> {
  const byOwner = new Map<string, string[]>();
  for (const row of rows) {
    const ids = byOwner.get(row.ownerId);
    if (ids) ids.push(row.id);
    else byOwner.set(row.ownerId, [row.id]);
  }
  return byOwner;
}

/**
 * Gives back rows found by id whoever owns them, one owner at a time: `lookUp` says whose
 * account each id counts in, and `release` runs one transaction per owner that locks its
 * account, reads its rows among the ids again and deletes them. Only what `release`
 * deleted counts, so rows released concurrently by another call are counted there, once.
 */
export async function releaseByOwner(
  ids: readonly string[],
  lookUp: (ids: readonly string[]) => Promise<OwnedRow[]>,
  release: (ownerId: string, ids: string[]) => Promise<OwnerRelease>,
): Promise<ReleaseTotals> {
  const totals: ReleaseTotals = { released: 0, releasedBytes: 0 };
  let pending: readonly string[] = ids;
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
    const moved: string[] = [];
    for (const [ownerId, ownerIds] of groupByOwner(await lookUp(pending))) {
      const done = await release(ownerId, ownerIds);
      totals.released += done.ids.length;
      totals.releasedBytes += done.bytes;
      const deleted = new Set(done.ids);
      moved.push(...ownerIds.filter((id) => !deleted.has(id)));
    }
    pending = moved;
  }
  return totals;
}

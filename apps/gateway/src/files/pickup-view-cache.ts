import type { PickupFileView } from './file.views.js';

interface Entry {
  fileId: string;
  view: PickupFileView;
  /** End of the file's retention (ms), or null when it never expires. */
  expiresAtMs: number | null;
  /** When this entry stops being used, expired or not. */
  keptUntilMs: number;
}

/** What `store` needs of a lookup answered by the files service. */
export interface ResolvedOpenFile {
  fileId: string;
  view: PickupFileView;
  expiresAtMs: number | null;
}

/**
 * The answers to lookups of open pickup codes (no PIN, no download limit: anyone holding the
 * code sees the same answer), remembered by one gateway replica for at most `ttlMs`, so a code
 * shared with many people at once costs the files service and MySQL one lookup, not one per
 * person. Correct as long as every change of a file reaches `invalidate`:
 * - the end of retention is checked on every read, so an expired file stops resolving at once;
 * - the files service announces every other change (a deletion) on Redis, and a lookup that
 *   was in flight while any announcement arrived is not remembered (`began`/`store`), so an
 *   answer read before a change can never be kept after it;
 * - while the announcements are not being received, nothing is remembered (`listening`).
 * Only valid, unprotected answers are kept; every other lookup goes to the files service,
 * after the pickup limits as always. Holds at most `maxEntries`, dropping the oldest first.
 */
export class PickupViewCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a lookup that began before one may have read a changed file. */
  private generation = 0;
  private listening = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The remembered answer for `code`, if it is still good. */
  get(code: string): PickupFileView | undefined {
    const entry = this.entries.get(code);
    if (!entry) return undefined;
    const now = this.clock();
    if (entry.keptUntilMs <= now || (entry.expiresAtMs !== null && entry.expiresAtMs <= now)) {
      this.entries.delete(code);
      return undefined;
    }
    return entry.view;
  }

  /** Call before asking the files service; hand the result to `store`. */
  begin(): number {
    return this.generation;
  }

  /** Remembers `resolved` for `code`, unless anything was invalidated since `began`. */
  store(code: string, resolved: ResolvedOpenFile, began: number): void {
    if (!this.listening || this.ttlMs <= 0 || began !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(code); // re-inserted last, as the newest
    this.entries.set(code, { ...resolved, keptUntilMs: this.clock() + this.ttlMs });
  }

  /** Forgets the file (under every spelling of its code) and cancels lookups in flight. */
  invalidate(fileId: string): void {
    this.generation += 1;
    for (const [code, entry] of this.entries) if (entry.fileId === fileId) this.entries.delete(code);
  }

  /**
   * Whether announcements are being received. Either way everything is forgotten: entering,
   * because announcements may have been missed; leaving, because they will be.
   */
  setListening(listening: boolean): void {
    this.generation += 1;
    this.listening = listening;
    this.entries.clear();
  }
}

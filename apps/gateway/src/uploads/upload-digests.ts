import { createHash, type Hash } from 'node:crypto';

interface RunningDigest {
  offset: number;
  hash: Hash;
  touchedAt: number;
}

/** Digests not continued for this long are dropped; the finish then hashes the stored object. */
const IDLE_MS = 6 * 3600 * 1000;

/**
 * The SHA-256 of each upload this process is receiving, carried from one PATCH to the next.
 * A hash's state cannot be shared between replicas, so this is only a shortcut: when a PATCH
 * continues at an offset this process did not see (another replica, a restart), the digest
 * is dropped and the finished object is hashed once by reading it back from storage.
 */
export class UploadDigests {
  private readonly running = new Map<string, RunningDigest>();

  /** A hash to feed the bytes of a PATCH at `offset` into, or null when this process lost the thread. */
  resume(id: string, offset: number, now = Date.now()): Hash | null {
    this.dropIdle(now);
    if (offset === 0) return createHash('sha256');
    const entry = this.running.get(id);
    // A copy, so a PATCH that fails leaves the digest of the bytes stored before it.
    return entry && entry.offset === offset ? entry.hash.copy() : null;
  }

  /** Records the digest of the first `offset` bytes, once they are stored. */
  advance(id: string, offset: number, hash: Hash | null, now = Date.now()): void {
    if (hash) this.running.set(id, { offset, hash, touchedAt: now });
    else this.running.delete(id);
  }

  /** The hex digest of an upload whose `size` bytes all passed through this process, else null. */
  take(id: string, size: number): string | null {
    const entry = this.running.get(id);
    this.running.delete(id);
    return entry && entry.offset === size ? entry.hash.digest('hex') : null;
  }

  forget(id: string): void {
    this.running.delete(id);
  }

  private dropIdle(now: number): void {
    for (const [id, entry] of this.running) if (now - entry.touchedAt > IDLE_MS) this.running.delete(id);
  }
}

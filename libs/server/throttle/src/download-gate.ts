import type { TokenBucketStore } from './token-bucket-store.js';

/**
 * How much of the rate one caller's leases on one replica cover together: each Redis call
 * takes this share divided among the caller's downloads there. Larger means fewer Redis calls
 * and stalls per stream (each lease is one pause of the stream, 4 a second), smaller means
 * smoother delivery: whatever the number of parallel downloads, a caller holds at most this
 * much of its rate ahead, so a measurement window is off by at most that.
 */
export const LEASE_SECONDS = 0.25;

export interface GateDependencies {
  store: TokenBucketStore;
  /** The rate when the download starts, also the fallback while the rate cannot be read. */
  initialRate: number;
  /** The bucket, shared by every download of one quota account on every replica. */
  key: string;
  /** The current rate of the caller's group, bytes per second; null when it became unlimited. */
  rate: () => number | null | Promise<number | null>;
  /** How many downloads of this caller this replica runs now (this one included); 1 if left out. */
  streams?: () => number;
  /** Called once when the gate closes. */
  onClose?: () => void;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Lets one download's writes through at its caller's rate. It leases tokens from the shared
 * bucket in slices of LEASE_SECONDS of the rate (shared among the caller's downloads on this
 * replica) and spends them locally, so a stream asks Redis about four times a second whatever
 * its buffer size. Writes are asked for one at
 * a time (the stream waits for each permit before the next write).
 */
export class DownloadGate {
  private balance = 0;
  private lastRate: number | null;
  private closed = false;

  constructor(private readonly deps: GateDependencies) {
    this.lastRate = deps.initialRate;
  }

  /** Permission to write `bytes` now (undefined) or once the promise resolves. */
  readonly permit = (bytes: number): Promise<void> | undefined => {
    if (this.balance >= bytes) {
      this.balance -= bytes;
      return undefined;
    }
    return this.lease(bytes);
  };

  /** Gives the tokens leased but not spent back to the bucket, for the caller's other downloads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.deps.onClose?.();
    const unused = Math.floor(this.balance);
    this.balance = 0;
    if (unused > 0 && this.lastRate !== null && Number.isFinite(unused)) {
      await this.deps.store.take(this.deps.key, -unused, this.lastRate, this.deps.now());
    }
  }

  /** The group's rate now; while it cannot be read, the last one known. */
  private async currentRate(): Promise<number | null> {
    try {
      return await this.deps.rate();
    } catch (error) {
      if (this.lastRate !== null) return this.lastRate;
      throw error;
    }
  }

  private async lease(bytes: number): Promise<void> {
    const rate = await this.currentRate();
    if (rate === null) {
      // The group became unlimited mid-download: nothing to wait for from now on.
      this.lastRate = null;
      this.balance = Number.POSITIVE_INFINITY;
      return;
    }
    this.lastRate = rate;
    const streams = Math.max(1, this.deps.streams?.() ?? 1);
    const slice = Math.max(bytes - this.balance, Math.ceil((rate * LEASE_SECONDS) / streams));
    let waitMs: number;
    try {
      waitMs = await this.deps.store.take(this.deps.key, slice, rate, this.deps.now());
    } catch {
      // The shared bucket is unreachable: hold this stream to the rate on its own rather
      // than cut the download off.
      waitMs = Math.ceil((slice * 1000) / rate);
    }
    this.balance += slice - bytes;
    if (waitMs > 0) await this.deps.sleep(waitMs);
  }
}

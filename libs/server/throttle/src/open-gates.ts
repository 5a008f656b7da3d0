import { setTimeout as sleep } from 'node:timers/promises';
import { DownloadGate } from './download-gate.js';
import type { TokenBucketStore } from './token-bucket-store.js';

/** Real time, or a fake one in unit tests. */
export interface GateClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const REAL_CLOCK: GateClock = { now: Date.now, sleep: (ms) => sleep(ms) };

/**
 * The gates open in this process, counted per bucket key: the streams of one account here
 * share LEASE_SECONDS of its rate among them rather than each leasing a full slice.
 */
export class OpenGates {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly store: TokenBucketStore,
    private readonly clock: () => GateClock = () => REAL_CLOCK,
  ) {}

  /** A gate on bucket `key`, starting at `initialRate` and rereading its rate through `rate`. */
  openGate(key: string, initialRate: number, rate: () => Promise<number | null>): DownloadGate {
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
    const { now, sleep: wait } = this.clock();
    return new DownloadGate({
      initialRate,
      store: this.store,
      key,
      rate,
      streams: () => this.open.get(key) ?? 1,
      onClose: () => {
        const left = (this.open.get(key) ?? 1) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      },
      now,
      sleep: wait,
    });
  }

  /** How many gates on `key` are open here (for tests). */
  countOn(key: string): number {
    return this.open.get(key) ?? 0;
  }
}

import { setTimeout as sleep } from 'node:timers/promises';

/** How a Pace tells time: real by default, fake in tests. */
export interface PaceClock {
  now(): number;
  /** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const realClock: PaceClock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};

/**
 * Spaces batches out so that all the runs sharing this Pace handle at most `perSecond` items a
 * second between them. A purge batch is a burst of work for the object store and the database
 * that the platform's live requests share; unpaced, a long purge shows in their latency, spread
 * out the same work hardly does. Each batch books its slot before it starts (as long as its
 * largest size takes at the rate), so runs side by side take turns instead of adding up.
 * 0 means no pacing. A shutdown (the signal) cuts the wait short.
 */
export class Pace {
  private nextSlotAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly perSecond: number,
    private readonly clock: PaceClock = realClock,
  ) {}

  /**
   * Waits for the next free slot and books it for a batch of up to `items`. The batch then
   * tells how many it handled: the share of the ones it did not handle is given back, so an
   * empty or short batch does not hold up the next one.
   */
  async book(items: number, signal: AbortSignal): Promise<(handled: number) => void> {
    if (this.perSecond <= 0) return () => undefined;
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = slot + this.share(items);
    if (slot > now) await this.clock.sleep(slot - now, signal);
    return (handled) => {
      this.nextSlotAt -= this.share(Math.max(0, items - handled));
    };
  }

  /** How long `items` take at the rate, in ms. */
  private share(items: number): number {
    return (items * 1000) / this.perSecond;
  }
}

import type { RawData } from 'ws';

export interface FrameRateOptions {
  /** Frames per second a socket may keep up for ever. */
  perSecond: number;
  /** Frames it may send at once above that rate before it is refused. */
  burst: number;
  /** Binary frames at least this long carry relayed bytes and are not counted. */
  smallBinaryBytes: number;
}

/**
 * Why these numbers (security-cases WS-05, "10,000 messages per second → close 1008"): a client
 * sends a handful of control frames a minute (auth once, a ping every 30 s, transfer.sent and
 * transfer.received once per transfer), so 100 a second sustained is far above any honest need,
 * and a burst of 200 covers a client that reconnects and settles many transfers at once. A flood
 * of 10,000 a second empties the burst within about 20 ms. Relayed bytes go in binary frames of
 * up to 1 MiB (64 KiB typically, ~16,000 frames a second at 1 GB/s), so they are not counted;
 * a binary frame under 1 KiB carries too little to be a reasonable way of moving bytes (only the
 * tail of a file is that short), so a flood of tiny ones counts like text frames.
 */
export const DEFAULT_FRAME_RATE: FrameRateOptions = { perSecond: 100, burst: 200, smallBinaryBytes: 1024 };

/** Milliseconds from any fixed point; injectable for tests. */
export type MonotonicClock = () => number;

const monotonic: MonotonicClock = () => performance.now();

/** How many bytes a frame holds, however ws handed it over (without copying it). */
export function frameLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((total, part) => total + part.length, 0);
  return data.byteLength;
}

/**
 * A token bucket per socket: each counted frame takes one token, tokens come back at
 * `perSecond` up to `burst`. A frame that finds the bucket empty is refused, and the session
 * closes the socket with 1008.
 */
export class FrameRateLimit {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly options: FrameRateOptions = DEFAULT_FRAME_RATE,
    private readonly now: MonotonicClock = monotonic,
  ) {
    this.tokens = options.burst;
    this.refilledAt = now();
  }

  /** Whether the frame may be read; false once the socket sends control frames faster than allowed. */
  admit(data: RawData, isBinary: boolean): boolean {
    if (isBinary && frameLength(data) >= this.options.smallBinaryBytes) return true;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsedSeconds * this.options.perSecond);
  }
}

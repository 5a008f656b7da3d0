/**
 * Token-bucket arithmetic of the download-speed throttle (downloads and relayed bytes), shared by its Redis script (which runs
 * the same steps, see redis-token-bucket.ts) and its tests. Tokens are bytes.
 *
 * A take never fails: the bucket may go into debt, and the taker waits until the debt is
 * paid off at the rate before it sends. So consumers of one bucket queue up fairly, each
 * with at most one lease outstanding, and together they never send faster than
 * `capacity + rate * elapsed`.
 */
export interface BucketState {
  /** Tokens in the bucket; negative while takers wait for tokens they already took. */
  tokens: number;
  /** When `tokens` was last brought up to date (ms); never moves backwards. */
  atMs: number;
}

export interface BucketLimits {
  /** Refill rate, bytes per second. */
  bytesPerSecond: number;
  /** The most tokens the bucket holds: the burst an idle caller may send at once. */
  capacity: number;
}

/** The burst allowed after idling: 100 ms of the rate (a full second would add +3.4 % to a 30 s average). */
export const BURST_SECONDS = 0.1;

export function limitsFor(bytesPerSecond: number): BucketLimits {
  return { bytesPerSecond, capacity: Math.max(1, Math.floor(bytesPerSecond * BURST_SECONDS)) };
}

/**
 * Takes `bytes` (negative: gives them back) at `nowMs`; returns the new state and how long
 * the taker must wait before sending them. A missing state is a full bucket. A clock behind
 * the state's (another replica's) refills nothing rather than turning time back.
 */
export function takeTokens(
  state: BucketState | undefined,
  limits: BucketLimits,
  bytes: number,
  nowMs: number,
): { state: BucketState; waitMs: number } {
  let tokens = state?.tokens ?? limits.capacity;
  let atMs = state?.atMs ?? nowMs;
  if (nowMs > atMs) {
    tokens = Math.min(limits.capacity, tokens + ((nowMs - atMs) * limits.bytesPerSecond) / 1000);
    atMs = nowMs;
  }
  tokens = Math.min(limits.capacity, tokens - bytes);
  const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / limits.bytesPerSecond);
  return { state: { tokens, atMs }, waitMs };
}

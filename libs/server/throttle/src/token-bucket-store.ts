/** Where buckets live: Redis in the services (shared by every replica of the gateway and the relay), memory in unit tests. */
export interface TokenBucketStore {
  /**
   * Takes `bytes` from the bucket `key` refilled at `bytesPerSecond` (negative `bytes` give
   * tokens back) and resolves with the milliseconds to wait before sending them.
   */
  take(key: string, bytes: number, bytesPerSecond: number, nowMs: number): Promise<number>;
}

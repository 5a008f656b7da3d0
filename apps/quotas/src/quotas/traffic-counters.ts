import type { Redis } from 'ioredis';
import type { TrafficPeriod } from './traffic-window.js';

export type AdmitOutcome =
  | { kind: 'admitted'; countedBytes: number }
  | { kind: 'refused'; countedBytes: number }
  /** No counter for this window: rebuild it from MySQL before trusting anything. */
  | { kind: 'missing' };

// Adds ARGV[1] bytes if the total stays within ARGV[2]; never creates the counter.
const ADMIT = `
local counted = redis.call('GET', KEYS[1])
if not counted then return {-1, 0} end
counted = tonumber(counted)
local bytes = tonumber(ARGV[1])
if counted + bytes > tonumber(ARGV[2]) then return {0, counted} end
return {1, redis.call('INCRBY', KEYS[1], bytes)}
`;

// Gives ARGV[1] bytes back once per reservation (KEYS[2] marks it settled), if the counter exists.
const SETTLE = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return 0 end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECRBY', KEYS[1], ARGV[1]) end
return 1
`;

// Adds ARGV[1] bytes to each counter that exists.
const ADD_IF_PRESENT = `
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('INCRBY', key, ARGV[1]) end
end
return 0
`;

/** A counter outlives its window by a day, so late settlements still find it. */
const GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Per-account traffic counters in Redis: for each window, the bytes sent plus the bytes
 * reserved by downloads in flight. They are a fast copy of the MySQL ledger (traffic_days
 * plus traffic_reservations), never the only record: a missing counter is rebuilt from the
 * ledger before it is trusted, and every change errs towards counting more, so losing
 * Redis can only refuse a download too many, never admit one too many.
 */
export class TrafficCounters {
  constructor(
    private readonly redis: Redis,
    /** Namespaces the keys to one ledger (one quotas database). */
    private readonly prefix: string,
  ) {}

  /** The key of an account's window; the hash tag keeps an account's keys in one cluster slot. */
  key(accountId: string, period: Pick<TrafficPeriod, 'window' | 'firstDay'>): string {
    return `${this.prefix}traffic:{${accountId}}:${period.window}:${period.firstDay}`;
  }

  async admit(key: string, bytes: number, limitBytes: number): Promise<AdmitOutcome> {
    const [status, counted] = (await this.redis.eval(ADMIT, 1, key, bytes, limitBytes)) as [number, number];
    if (status === -1) return { kind: 'missing' };
    return { kind: status === 1 ? 'admitted' : 'refused', countedBytes: counted };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) === 1;
  }

  /** Creates the counter with `bytes` unless another replica created it first. */
  async seed(key: string, bytes: number, period: TrafficPeriod, nowMs: number): Promise<void> {
    await this.redis.set(key, bytes, 'PX', ttlMs(period, nowMs), 'NX');
  }

  /** Gives back what a reservation did not use, once however often it is settled. */
  async settle(key: string, reservationId: string, unusedBytes: number, period: TrafficPeriod, nowMs: number) {
    const marker = `${key.slice(0, key.indexOf('}') + 1)}:settled:${reservationId}`;
    await this.redis.eval(SETTLE, 2, key, marker, unusedBytes, ttlMs(period, nowMs));
  }

  /** Counts bytes recorded outside a reservation (groups without a traffic limit) in live counters. */
  async addIfPresent(keys: string[], bytes: number): Promise<void> {
    await this.redis.eval(ADD_IF_PRESENT, keys.length, ...keys, bytes);
  }
}

function ttlMs(period: TrafficPeriod, nowMs: number): number {
  return Math.max(1, period.resetsAtMs - nowMs) + GRACE_MS;
}

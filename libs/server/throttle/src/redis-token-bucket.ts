import type { Redis } from 'ioredis';
import { limitsFor } from './token-bucket.js';
import type { TokenBucketStore } from './token-bucket-store.js';

// takeTokens (token-bucket.ts), step for step, on a hash {t: tokens, at: ms}.
const TAKE = `
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local bytes = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate / 1000)
  at = now
end
tokens = math.min(capacity, tokens - bytes)
redis.call('HSET', KEYS[1], 't', string.format('%.3f', tokens), 'at', string.format('%d', at))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if tokens >= 0 then return 0 end
return math.ceil(-tokens * 1000 / rate)
`;

/** An idle bucket refills within a second at most; a minute later its key may go. */
const IDLE_TTL_MS = 60_000;

type RedisWithTake = Redis & {
  lexyTakeTokens(key: string, ...args: (string | number)[]): Promise<number>;
};

/** Buckets in Redis, one hash per key, so all gateway and relay replicas share an account's bucket. */
export class RedisTokenBucket implements TokenBucketStore {
  private readonly redis: RedisWithTake;

  constructor(redis: Redis) {
    // EVALSHA (EVAL once when Redis lacks the script): every stream asks about ten times a second.
    if (!('lexyTakeTokens' in redis)) redis.defineCommand('lexyTakeTokens', { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as RedisWithTake;
  }

  async take(key: string, bytes: number, bytesPerSecond: number, nowMs: number): Promise<number> {
    const { capacity } = limitsFor(bytesPerSecond);
    const waitMs = await this.redis.lexyTakeTokens(
      key,
      bytesPerSecond,
      capacity,
      bytes,
      Math.floor(nowMs),
      IDLE_TTL_MS,
    );
    return Number(waitMs);
  }
}

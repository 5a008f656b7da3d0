import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import {
  HOUR_MS,
  hourIndex,
  lockoutDurationsMs,
  MINUTE_MS,
  type GlobalCounts,
  type PickupLimitPolicy,
  type SourceSnapshot,
} from './pickup-limit-policy.js';

/**
 * Records a failed lookup for every source at once: prune the hour, add the failure, lock the
 * source out when the hour is full (unless it is already locked), and count it globally. The
 * atomic twin of `recordFailure` in pickup-limit-policy.ts; lock-out lengths come in ARGV.
 * KEYS: this hour's and the previous hour's global counters, then per source its failures
 * (sorted set of times), its lock (the end time) and its lock-out level (hash: level, until).
 * ARGV: now, a unique member, failures per hour, lock-out memory, lock-out lengths by level.
 */
const CHARGE_FAILURE = `
local now = tonumber(ARGV[1])
local perHour = tonumber(ARGV[3])
local memory = tonumber(ARGV[4])
local durations = {}
for i = 5, #ARGV do durations[#durations + 1] = tonumber(ARGV[i]) end
for i = 3, #KEYS, 3 do
  local failures, lock, level = KEYS[i], KEYS[i + 1], KEYS[i + 2]
  redis.call('ZREMRANGEBYSCORE', failures, '-inf', now - ${HOUR_MS})
  redis.call('ZADD', failures, now, ARGV[2])
  redis.call('PEXPIRE', failures, ${HOUR_MS})
  local lockedUntil = tonumber(redis.call('GET', lock) or '0')
  if redis.call('ZCARD', failures) >= perHour and lockedUntil <= now then
    local stored = redis.call('HMGET', level, 'level', 'until')
    local previous = 0
    if stored[2] and tonumber(stored[2]) > now then previous = tonumber(stored[1]) end
    local next = previous + 1
    local duration = durations[math.min(next, #durations)]
    redis.call('SET', lock, now + duration, 'PX', duration)
    redis.call('HSET', level, 'level', next, 'until', now + duration + memory)
    redis.call('PEXPIRE', level, duration + memory)
    redis.call('DEL', failures)
  end
end
local current = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ${2 * HOUR_MS})
return { current, tonumber(redis.call('GET', KEYS[2]) or '0') }
`;

/**
 * Reads what one lookup needs in a single command (a pipeline of one GET and one ZRANGEBYSCORE
 * per source costs several times the client work of one script on the hot path of every
 * lookup). KEYS: per source its lock and its failures, then the previous and this hour's global
 * counters, then the challenge key when a solution is presented. ARGV: the start of the last
 * minute (exclusive), the number of sources, the challenge's lifetime in ms ('' for none).
 * Reply: per source its lock end (or nil) and its failures of the last minute with their
 * times, then both global counters, then whether the challenge was unused.
 */
const CHECK = `
local sources = tonumber(ARGV[2])
local reply = {}
for i = 1, sources do
  reply[#reply + 1] = redis.call('GET', KEYS[2 * i - 1])
  reply[#reply + 1] = redis.call('ZRANGEBYSCORE', KEYS[2 * i], '(' .. ARGV[1], '+inf', 'WITHSCORES')
end
reply[#reply + 1] = redis.call('MGET', KEYS[2 * sources + 1], KEYS[2 * sources + 2])
if ARGV[3] ~= '' then
  reply[#reply + 1] = redis.call('SET', KEYS[2 * sources + 3], '1', 'PX', ARGV[3], 'NX') and 1 or 0
end
return reply
`;

type CheckReply = [...(string | null | string[])[]];
/** The connection with both scripts defined on it (EVALSHA, falling back to EVAL once). */
type RedisWithScripts = Redis & {
  lexyPickupCheck(keyCount: number, ...keysAndArgs: string[]): Promise<CheckReply>;
  lexyPickupChargeFailure(keyCount: number, ...keysAndArgs: string[]): Promise<[number, number]>;
};

export interface LookupSnapshot {
  sources: SourceSnapshot[];
  global: GlobalCounts;
  /** Whether the presented challenge solution was unused until now (it is used up by this check). */
  challengeClaimed: boolean;
}

/** A solved challenge to use up in the same round trip: its id and how long to remember it. */
export interface ChallengeClaim {
  id: string;
  ttlMs: number;
}

/**
 * The pickup limits in Redis, shared by every gateway replica: one round trip to read what a
 * lookup needs (`check`), one to charge a failure (`chargeFailure`). Times come from the
 * caller (a fake clock in tests); Redis expiries only collect garbage, every decision
 * compares stored times with `now`. Any Redis error propagates: the caller fails closed.
 */
export class PickupLimitStore {
  private readonly durations: string[];
  private readonly redis: RedisWithScripts;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly policy: PickupLimitPolicy,
  ) {
    this.durations = lockoutDurationsMs(policy).map(String);
    if (!('lexyPickupCheck' in redis)) {
      redis.defineCommand('lexyPickupCheck', { lua: CHECK });
      redis.defineCommand('lexyPickupChargeFailure', { lua: CHARGE_FAILURE });
    }
    this.redis = redis as RedisWithScripts;
  }

  private failuresKey = (source: string) => `${this.prefix}failures:${source}`;
  private lockKey = (source: string) => `${this.prefix}lock:${source}`;
  private levelKey = (source: string) => `${this.prefix}level:${source}`;
  private globalKey = (hour: number) => `${this.prefix}global:${hour}`;
  private challengeKey = (id: string) => `${this.prefix}challenge:${id}`;

  async check(sources: string[], now: number, claim?: ChallengeClaim): Promise<LookupSnapshot> {
    const hour = hourIndex(now);
    const keys = sources.flatMap((source) => [this.lockKey(source), this.failuresKey(source)]);
    keys.push(this.globalKey(hour - 1), this.globalKey(hour));
    if (claim) keys.push(this.challengeKey(claim.id));
    const values = await this.redis.lexyPickupCheck(
      keys.length,
      ...keys,
      String(now - MINUTE_MS),
      String(sources.length),
      claim ? String(claim.ttlMs) : '',
    );

    const snapshots = sources.map((_source, index) => {
      const withScores = values[2 * index + 1] as string[];
      return {
        lockedUntil: Number(values[2 * index] ?? 0),
        recentFailures: withScores.filter((_item, position) => position % 2 === 1).map(Number),
      };
    });
    const [previousHour, currentHour] = values[2 * sources.length] as (string | null)[];
    return {
      sources: snapshots,
      global: { previousHour: Number(previousHour ?? 0), currentHour: Number(currentHour ?? 0) },
      challengeClaimed: claim !== undefined && Number(values[2 * sources.length + 1]) === 1,
    };
  }

  /** Charges one failed lookup to every source, and to the global count (returned as it is now). */
  async chargeFailure(sources: string[], now: number): Promise<GlobalCounts> {
    const hour = hourIndex(now);
    const keys = [this.globalKey(hour), this.globalKey(hour - 1)];
    for (const source of sources) keys.push(this.failuresKey(source), this.lockKey(source), this.levelKey(source));
    // Unique per failure, so two failures in the same millisecond are both counted.
    const member = `${now}:${randomBytes(8).toString('hex')}`;
    const [currentHour, previousHour] = await this.redis.lexyPickupChargeFailure(
      keys.length,
      ...keys,
      String(now),
      member,
      String(this.policy.failuresPerHour),
      String(this.policy.lockoutMemoryMs),
      ...this.durations,
    );
    return { previousHour, currentHour };
  }
}

import fc from 'fast-check';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  combinedVerdict,
  DEFAULT_PICKUP_LIMIT_POLICY as policy,
  FRESH_SOURCE,
  HOUR_MS,
  hourIndex,
  recordFailure,
  MINUTE_MS,
  snapshotOf,
  type PickupLimitPolicy,
  type SourceState,
} from '../src/pickup-guard/pickup-limit-policy.js';
import { PickupLimitStore } from '../src/pickup-guard/pickup-limit-store.js';

// The Redis adapter against the real Redis, with a fake clock: it must agree with the pure
// policy it stores (pickup-limit-policy.ts) on every lookup of any sequence. Two stores on two
// connections stand for two gateway replicas.
const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(url);
  connections.push(redis);
  return redis;
};
const replicas = (limits: PickupLimitPolicy = policy, prefix = `lexy:test:pickup:${randomUUID()}:`) => [
  new PickupLimitStore(connect(), prefix, limits),
  new PickupLimitStore(connect(), prefix, limits),
];

/** Small limits, so random sequences reach lock-outs, repeats, the cap and forgetting. */
const small: PickupLimitPolicy = {
  failuresPerMinute: 3,
  failuresPerHour: 6,
  lockoutMs: 10 * MINUTE_MS,
  maxLockoutMs: 35 * MINUTE_MS,
  lockoutMemoryMs: 30 * MINUTE_MS,
  globalFailureBudget: 10,
};

afterAll(() => connections.forEach((redis) => redis.disconnect()));

const START = Date.UTC(2026, 10, 3, 12, 0, 0);

/** The highest lock-out level any model reached: proof that the sequences reach the interesting part. */
let deepestLockout = 0;

/** The pure model of the same sources and global counters. */
function model(limits: PickupLimitPolicy) {
  const sources = new Map<string, SourceState>();
  const global = new Map<number, number>();
  const state = (source: string) => sources.get(source) ?? FRESH_SOURCE;
  return {
    snapshots: (keys: string[], now: number) => keys.map((key) => snapshotOf(state(key), now)),
    globalCounts: (now: number) => ({
      previousHour: global.get(hourIndex(now) - 1) ?? 0,
      currentHour: global.get(hourIndex(now)) ?? 0,
    }),
    fail(keys: string[], now: number) {
      for (const key of keys) {
        sources.set(key, recordFailure(state(key), now, limits));
        deepestLockout = Math.max(deepestLockout, state(key).lockoutLevel);
      }
      global.set(hourIndex(now), (global.get(hourIndex(now)) ?? 0) + 1);
    },
  };
}

describe('PickupLimitStore', () => {
  it('locks a source out on its 20th failure in an hour, across replicas, and doubles a repeat', async () => {
    const [a, b] = replicas();
    let now = START;
    for (let i = 0; i < 20; i += 1) {
      await (i % 2 === 0 ? a : b).chargeFailure(['ip:203.0.113.1'], now);
      now += 15_000;
    }
    const locked = await b.check(['ip:203.0.113.1'], now);
    expect(locked.sources[0]?.lockedUntil).toBe(now - 15_000 + HOUR_MS);
    expect(combinedVerdict(locked.sources, now, policy)).toMatchObject({ allowed: false, limit: 'locked' });
    // the lock-out used up its failures
    expect(locked.sources[0]?.recentFailures).toEqual([]);

    now = locked.sources[0]!.lockedUntil;
    for (let i = 0; i < 20; i += 1) await a.chargeFailure(['ip:203.0.113.1'], now + i);
    const again = await a.check(['ip:203.0.113.1'], now + 20);
    expect(again.sources[0]?.lockedUntil).toBe(now + 19 + 2 * HOUR_MS);
  });

  it('reads the failures of the last minute with their times, and counts everyone globally', async () => {
    const [a] = replicas();
    await a.chargeFailure(['ip:203.0.113.2', 'user:u1'], START);
    await a.chargeFailure(['ip:203.0.113.2'], START + 30_000);
    const [current] = [await a.chargeFailure(['ip:203.0.113.9'], START + 40_000)];
    expect(current).toEqual({ previousHour: 0, currentHour: 3 });
    const snapshot = await a.check(['ip:203.0.113.2', 'user:u1', 'device:none'], START + 70_000);
    expect(snapshot.sources).toEqual([
      { lockedUntil: 0, recentFailures: [START + 30_000] },
      { lockedUntil: 0, recentFailures: [] },
      { lockedUntil: 0, recentFailures: [] },
    ]);
    expect(snapshot.global).toEqual({ previousHour: 0, currentHour: 3 });
    expect((await a.check([], START + HOUR_MS)).global).toEqual({ previousHour: 3, currentHour: 0 });
  });

  it('uses up a challenge solution once, in the check itself', async () => {
    const [a, b] = replicas();
    const claim = { id: randomUUID(), ttlMs: 60_000 };
    expect((await a.check(['ip:203.0.113.3'], START, claim)).challengeClaimed).toBe(true);
    expect((await b.check(['ip:203.0.113.3'], START, claim)).challengeClaimed).toBe(false);
    expect((await b.check(['ip:203.0.113.3'], START)).challengeClaimed).toBe(false);
  });

  it('agrees with the pure policy on any sequence of lookups, clock jumps and replicas', async () => {
    const keys = ['ip:a', 'user:b', 'device:c'];
    const step = fc.record({
      // mostly seconds apart, so sources reach their lock-outs; then minutes, now and then hours
      advanceMs: fc.oneof(
        { arbitrary: fc.constant(0), weight: 4 },
        { arbitrary: fc.integer({ min: 1, max: 30_000 }), weight: 24 },
        { arbitrary: fc.integer({ min: MINUTE_MS, max: 15 * MINUTE_MS }), weight: 4 },
        { arbitrary: fc.integer({ min: 1, max: 2 * HOUR_MS }), weight: 1 },
      ),
      sources: fc.subarray(keys, { minLength: 1 }),
      replica: fc.integer({ min: 0, max: 1 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 100, maxLength: 300 }), async (steps) => {
        const stores = replicas(small);
        const expected = model(small);
        let now = START;
        for (const { advanceMs, sources, replica } of steps) {
          now += advanceMs;
          const snapshot = await stores[replica]!.check(sources, now);
          expect(snapshot.sources).toEqual(expected.snapshots(sources, now));
          expect(snapshot.global).toEqual(expected.globalCounts(now));
          // a wrong code: charged when allowed
          if (combinedVerdict(snapshot.sources, now, small).allowed) {
            expect(await stores[replica]!.chargeFailure(sources, now)).toEqual({
              ...expected.globalCounts(now),
              currentHour: expected.globalCounts(now).currentHour + 1,
            });
            expected.fail(sources, now);
          }
        }
      }),
      { numRuns: 40 },
    );
    expect(deepestLockout).toBeGreaterThanOrEqual(4); // past the cap (10, 20, 35, 35 min)
  });
});

import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DownloadGate } from '../src/download-gate.js';
import { RedisTokenBucket } from '../src/redis-token-bucket.js';

// The download-speed bucket against the real Redis. Two stores on two connections stand for
// two replicas (gateway or relay); time is a fake clock per consumer, so nothing here depends on timing.
const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const connections: Redis[] = [];
const replica = () => {
  const redis = new Redis(url);
  connections.push(redis);
  return new RedisTokenBucket(redis);
};
afterAll(async () => {
  await connections[0]?.del(...keys);
  connections.forEach((redis) => redis.disconnect());
});
const keys: string[] = [];
const newKey = () => {
  const key = `lexy:test:throttle:{${randomUUID()}}`;
  keys.push(key);
  return key;
};

const RATE = 2_000_000;
const BURST = 200_000;
const BUFFER = 65_536;

function gate(store: RedisTokenBucket, key: string, clock: { now: number }, rate = () => RATE) {
  return new DownloadGate({
    store,
    key,
    initialRate: RATE,
    rate,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
  });
}

describe('RedisTokenBucket', () => {
  it('gives two consumers of one key the rate between them (granted bytes vs a fake clock)', async () => {
    const key = newKey();
    const clocks = [{ now: 1_000_000 }, { now: 1_000_000 }];
    const gates = [gate(replica(), key, clocks[0]!), gate(replica(), key, clocks[1]!)];
    const sent = [0, 0];
    const until = 1_000_000 + 3_000;
    for (let step = 0; step < 400; step += 1) {
      const who = clocks[0]!.now <= clocks[1]!.now ? 0 : 1;
      await gates[who]!.permit(BUFFER);
      if (clocks[who]!.now <= until) sent[who] = sent[who]! + BUFFER;
    }
    expect(Math.min(...clocks.map((clock) => clock.now))).toBeGreaterThan(until);
    const total = sent[0]! + sent[1]!;
    // 3 s of the rate plus one burst, less at most one lease each still being spent.
    expect(total).toBeLessThanOrEqual(3 * RATE + BURST + 2 * BUFFER);
    expect(total).toBeGreaterThanOrEqual(3 * RATE + BURST - 2 * BURST - 2 * BUFFER);
    expect(sent[0]).toBeGreaterThan(RATE); // both got a fair part of it
    expect(sent[1]).toBeGreaterThan(RATE);
  });

  it('keeps the state in one Redis hash per key, expiring once idle', async () => {
    const key = newKey();
    const store = replica();
    expect(await store.take(key, BURST, RATE, 5_000)).toBe(0);
    expect(await store.take(key, RATE, RATE, 5_000)).toBe(1_000);
    const redis = connections.at(-1)!;
    expect(await redis.hgetall(key)).toEqual({ t: `${-RATE}.000`, at: '5000' });
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('caps the burst after idling and takes tokens given back', async () => {
    const key = newKey();
    const store = replica();
    await store.take(key, BURST, RATE, 0);
    expect(await store.take(key, BURST + 1, RATE, 600_000)).toBe(1); // an idle hour is still one burst
    await store.take(key, -BURST * 5, RATE, 600_000);
    expect(await store.take(key, BURST, RATE, 600_000)).toBe(0);
  });
});

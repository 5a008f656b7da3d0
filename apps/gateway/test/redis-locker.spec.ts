import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisLocker, UPLOAD_LOCKED } from '../src/uploads/redis-locker.js';

// The tus upload lock against the real Redis: two lockers stand for two gateway replicas.
const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(url);
  connections.push(redis);
  return redis;
};
const replica = (options = {}) => new RedisLocker(connect(), connect(), options);
const never = new AbortController().signal;

afterAll(() => connections.forEach((redis) => redis.disconnect()));

describe('RedisLocker', () => {
  it('lets one request at a time hold an upload, across replicas, and asks the holder to let go', async () => {
    const [a, b] = [replica(), replica()];
    const id = randomUUID();
    const first = a.newLock(id);
    const order: string[] = [];
    await first.lock(never, async () => {
      order.push('holder asked to release');
      await first.unlock();
    });
    const second = b.newLock(id);
    await second.lock(never, () => undefined);
    order.push('second holds it');
    expect(order).toEqual(['holder asked to release', 'second holds it']);
    await second.unlock();
  });

  it('frees the lock of a replica that died once its lease runs out', async () => {
    const id = randomUUID();
    // A dead replica's lock: held, never renewed, nobody listening for release requests.
    await connect().set(`lexy:tus:lock:${id}`, 'dead-replica', 'PX', 300);
    const lock = replica({ acquireTimeoutMs: 5_000, retryMs: 20 }).newLock(id);
    await lock.lock(never, () => undefined);
    await lock.unlock();
  });

  it('answers 423 when the holder does not let go in time', async () => {
    const id = randomUUID();
    const holder = replica().newLock(id);
    await holder.lock(never, () => undefined); // ignores release requests
    const waiter = replica({ acquireTimeoutMs: 200, retryMs: 20 }).newLock(id);
    await expect(waiter.lock(never, () => undefined)).rejects.toBe(UPLOAD_LOCKED);
    await holder.unlock();
  });

  it('unlocking never frees a lock that someone else holds now', async () => {
    const id = randomUUID();
    const locker = replica({ leaseMs: 150, retryMs: 20 });
    const stale = locker.newLock(id);
    await stale.lock(never, () => undefined);
    await connect().set(`lexy:tus:lock:${id}`, 'new-holder', 'PX', 10_000); // as if the lease expired and another took it
    await stale.unlock();
    expect(await connect().get(`lexy:tus:lock:${id}`)).toBe('new-holder');
  });
});

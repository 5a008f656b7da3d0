import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { SocketLocations } from '../src/presence/socket-locations.js';

// Where each device's socket is, against the real Redis: two SocketLocations on two connections
// stand for two relay replicas sharing a prefix of this file's own.
const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `lexy:test:relay:${randomUUID()}:`;
const ttlSeconds = 30;
const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(url);
  connections.push(redis);
  return redis;
};
const replica = (self: string) => new SocketLocations(connect(), { prefix, ttlSeconds, self });

const A = 'ws://relay-a.internal:50056';
const B = 'ws://relay-b.internal:50056';

afterAll(async () => {
  // SCAN, never KEYS: the local Redis is shared.
  const redis = connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  connections.forEach((connection) => connection.disconnect());
});

describe('SocketLocations', () => {
  it('marks a device as connected here, under its key, for the TTL', async () => {
    const a = replica(A);
    const deviceId = randomUUID();
    await a.markHere(deviceId);

    const redis = connect();
    expect(a.keyOf(deviceId)).toBe(`${prefix}socket:${deviceId}`);
    expect(await redis.get(`${prefix}socket:${deviceId}`)).toBe(A);
    const ttl = await redis.ttl(a.keyOf(deviceId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(ttlSeconds);
  });

  it('lets every replica read where a device is, and null for a device connected nowhere', async () => {
    const [a, b] = [replica(A), replica(B)];
    const deviceId = randomUUID();
    expect(await b.replicaOf(deviceId)).toBeNull();
    await a.markHere(deviceId);
    expect(await b.replicaOf(deviceId)).toBe(A);
    expect(await a.replicaOf(deviceId)).toBe(A);
  });

  it('clears its own mark when the device’s socket here closed', async () => {
    const [a, b] = [replica(A), replica(B)];
    const deviceId = randomUUID();
    await a.markHere(deviceId);
    await a.markGone(deviceId);
    expect(await b.replicaOf(deviceId)).toBeNull();
    expect(await connect().exists(a.keyOf(deviceId))).toBe(0);
  });

  it('keeps the mark of the replica the device reconnected through when its old socket closes', async () => {
    const [a, b] = [replica(A), replica(B)];
    const deviceId = randomUUID();
    await a.markHere(deviceId);
    // The device reconnected through B before its old socket on A closed.
    await b.markHere(deviceId);
    await a.markGone(deviceId);
    expect(await a.replicaOf(deviceId)).toBe(B);
    const ttl = await connect().ttl(b.keyOf(deviceId));
    expect(ttl).toBeGreaterThan(0);
  });

  it('moves the mark to the replica that marked last, renewing its TTL', async () => {
    const [a, b] = [replica(A), replica(B)];
    const deviceId = randomUUID();
    const redis = connect();
    await b.markHere(deviceId);
    await redis.expire(b.keyOf(deviceId), 5);
    await a.markHere(deviceId);
    expect(await b.replicaOf(deviceId)).toBe(A);
    expect(await redis.ttl(a.keyOf(deviceId))).toBeGreaterThan(5);
  });

  it('clears the mark of the one device whose socket closed, not the others here', async () => {
    const a = replica(A);
    const [first, second] = [randomUUID(), randomUUID()];
    await a.markHere(first);
    await a.markHere(second);
    await a.markGone(second);
    expect(await a.replicaOf(first)).toBe(A);
    expect(await a.replicaOf(second)).toBeNull();
  });
});

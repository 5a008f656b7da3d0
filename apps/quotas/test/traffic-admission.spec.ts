import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@lexy/server-errors';
import { Redis } from 'ioredis';
import { Clock } from '../src/quotas/clock.js';
import { expectDomainError, newOwnerId, startQuotas, type QuotasHarness } from './support/quotas-harness.js';

/** A clock the test moves by hand. */
class FakeClock extends Clock {
  constructor(public ms: number) {
    super();
  }
  now(): number {
    return this.ms;
  }
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
}

const clock = new FakeClock(Date.parse('2026-05-20T12:00:00.000Z'));
let harness: QuotasHarness;
let redis: Redis;

beforeAll(async () => {
  harness = await startQuotas({ clock });
  redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});

afterAll(async () => {
  redis?.disconnect();
  await harness?.close();
});

beforeEach(() => clock.set('2026-05-20T12:00:00.000Z'));

/** A group of its own with this traffic limit, so tests never share limits. */
async function trafficGroup(limitBytes: number, window: 'day' | 'month' = 'day'): Promise<string> {
  const name = `t-${randomBytes(6).toString('hex')}`;
  await harness.db.query('INSERT INTO `groups` (name, traffic_bytes, traffic_window) VALUES (?, ?, ?)', [
    name,
    limitBytes,
    window,
  ]);
  return name;
}

const reserve = (owner: string, group: string, bytes: number) => harness.as(owner, group).reserveTraffic({ bytes });
const trafficUsed = async (owner: string, group: string) =>
  (await harness.as(owner, group).getUsage({})).usage?.trafficUsedBytes;

async function storedDays(account: string) {
  const rows: { day: string; bytes: number | string }[] = await harness.db.query(
    "SELECT DATE_FORMAT(`day`, '%Y-%m-%d') AS `day`, bytes FROM traffic_days WHERE owner_id = ? ORDER BY `day`",
    [account],
  );
  return rows.map((row) => ({ day: row.day, bytes: Number(row.bytes) }));
}

async function openReservations(account: string): Promise<number> {
  const rows: { n: number | string }[] = await harness.db.query(
    'SELECT COUNT(*) AS n FROM traffic_reservations WHERE owner_id = ?',
    [account],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Removes every Redis counter of the test database: what a Redis restart does. */
async function loseRedisCounters(): Promise<void> {
  const keys = await redis.keys(`lexy:${harness.database.database}:traffic:*`);
  if (keys.length > 0) await redis.del(...keys);
}

describe('ReserveTraffic and SettleTraffic', () => {
  it('reserves the length, then charges only the bytes actually sent; settling again changes nothing', async () => {
    const owner = newOwnerId();
    const group = await trafficGroup(1000);
    const { reservationId } = await reserve(owner, group, 700);
    expect(reservationId).toEqual(expect.any(String));
    expect(await openReservations(owner)).toBe(1);

    await harness.as(owner, group).settleTraffic({ reservationId: reservationId!, sentBytes: 250 });
    await harness.as(owner, group).settleTraffic({ reservationId: reservationId!, sentBytes: 250 });
    expect(await openReservations(owner)).toBe(0);
    expect(await storedDays(owner)).toEqual([{ day: '2026-05-20', bytes: 250 }]);
    expect(await trafficUsed(owner, group)).toBe(250);
    // The 450 unsent bytes came back: 750 more fit, 751 do not.
    await expectDomainError(reserve(owner, group, 751), ErrorCode.QUOTA_EXCEEDED);
    expect((await reserve(owner, group, 750)).reservationId).toEqual(expect.any(String));
  });

  it('never charges more than was reserved', async () => {
    const owner = newOwnerId();
    const group = await trafficGroup(1000);
    const { reservationId } = await reserve(owner, group, 100);
    await harness.as(owner, group).settleTraffic({ reservationId: reservationId!, sentBytes: 900 });
    expect(await storedDays(owner)).toEqual([{ day: '2026-05-20', bytes: 100 }]);
  });

  it('admits concurrent downloads only while their lengths fit: exactly limit / length of them', async () => {
    const owner = newOwnerId();
    const group = await trafficGroup(1000);
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, () => reserve(owner, group, 100)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(10);
    expect(await openReservations(owner)).toBe(10);
  });

  it('refuses with QUOTA_EXCEEDED naming the quota, and Retry-After up to 00:00 UTC', async () => {
    const owner = newOwnerId();
    const group = await trafficGroup(1000);
    const { reservationId } = await reserve(owner, group, 600);
    await harness.as(owner, group).settleTraffic({ reservationId: reservationId!, sentBytes: 600 });
    clock.set('2026-05-20T23:59:59.500Z');
    const error = await expectDomainError(reserve(owner, group, 500), ErrorCode.QUOTA_EXCEEDED);
    expect(error.details).toEqual({
      quota: 'traffic',
      window: 'day',
      limitBytes: 1000,
      usedBytes: 600,
      remainingBytes: 400,
      requestedBytes: 500,
      resetsAt: '2026-05-21T00:00:00.000Z',
      retryAfterSeconds: 1,
    });
    expect(await openReservations(owner)).toBe(0);

    clock.set('2026-05-21T00:00:00.000Z');
    expect((await reserve(owner, group, 1000)).reservationId).toEqual(expect.any(String));
  });

  it('charges a download to the window it was admitted in, even when it ends after the reset (month)', async () => {
    const owner = newOwnerId();
    const group = await trafficGroup(1000, 'month');
    clock.set('2026-05-31T23:59:59.000Z');
    const late = await reserve(owner, group, 900);
    const error = await expectDomainError(reserve(owner, group, 200), ErrorCode.QUOTA_EXCEEDED);
    expect(error.details).toMatchObject({
      window: 'month',
      resetsAt: '2026-06-01T00:00:00.000Z',
      retryAfterSeconds: 1,
    });

    clock.set('2026-06-01T00:00:05.000Z');
    await harness.as(owner, group).settleTraffic({ reservationId: late.reservationId!, sentBytes: 900 });
    expect(await storedDays(owner)).toEqual([{ day: '2026-05-31', bytes: 900 }]);
    expect(await trafficUsed(owner, group)).toBe(0);
    expect((await reserve(owner, group, 1000)).reservationId).toEqual(expect.any(String));
  });

  it('rebuilds a lost Redis counter from MySQL, downloads in flight included, before admitting', async () => {
    const owner = newOwnerId();
    const group = await trafficGroup(1000);
    const sent = await reserve(owner, group, 300);
    await harness.as(owner, group).settleTraffic({ reservationId: sent.reservationId!, sentBytes: 300 });
    await reserve(owner, group, 500); // still in flight

    await loseRedisCounters();
    await expectDomainError(reserve(owner, group, 201), ErrorCode.QUOTA_EXCEEDED);
    await loseRedisCounters();
    expect((await reserve(owner, group, 200)).reservationId).toEqual(expect.any(String));
    await expectDomainError(reserve(owner, group, 1), ErrorCode.QUOTA_EXCEEDED);
  });

  it('counts every owner of one quota account together: a new fingerprint is not a new quota', async () => {
    const account = `ip:${newOwnerId()}`;
    const group = await trafficGroup(1000);
    const first = harness.asAccount(newOwnerId(), account, group);
    const rotated = harness.asAccount(newOwnerId(), account, group);
    const { reservationId } = await first.reserveTraffic({ bytes: 800 });
    await first.settleTraffic({ reservationId: reservationId!, sentBytes: 800 });
    await expectDomainError(rotated.reserveTraffic({ bytes: 201 }), ErrorCode.QUOTA_EXCEEDED);
    expect((await rotated.getUsage({})).usage?.trafficUsedBytes).toBe(800);
    expect(await storedDays(account)).toEqual([{ day: '2026-05-20', bytes: 800 }]);
  });

  it('gives no reservation to a group without a traffic limit', async () => {
    expect((await reserve(newOwnerId(), 'admin', 10 ** 12)).reservationId).toBeUndefined();
  });

  it('answers UNAUTHENTICATED without a caller token', async () => {
    await expectDomainError(harness.client.reserveTraffic({ bytes: 1 }), ErrorCode.UNAUTHENTICATED);
  });
});

describe('ReserveTraffic without Redis', () => {
  it('fails closed with SERVICE_UNAVAILABLE and leaves no reservation behind', async () => {
    const offline = await startQuotas({ clock, redisUrl: 'redis://127.0.0.1:1' });
    try {
      const owner = newOwnerId();
      await expectDomainError(
        offline.as(owner, 'anonymous').reserveTraffic({ bytes: 1 }),
        ErrorCode.SERVICE_UNAVAILABLE,
      );
      const rows: { n: number | string }[] = await offline.db.query(
        'SELECT COUNT(*) AS n FROM traffic_reservations WHERE owner_id = ?',
        [owner],
      );
      expect(Number(rows[0]?.n)).toBe(0);
    } finally {
      await offline.close();
    }
  });
});

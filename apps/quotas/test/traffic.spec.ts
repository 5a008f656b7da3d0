import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@lexy/server-errors';
import { expectDomainError, newOwnerId, startQuotas, type QuotasHarness } from './support/quotas-harness.js';

const MB = 1_000_000;

let harness: QuotasHarness;

beforeAll(async () => {
  harness = await startQuotas();
});

afterAll(() => harness?.close());

const trafficUsed = async (ownerId: string, group = 'normal') =>
  (await harness.as(ownerId, group).getUsage({})).usage?.trafficUsedBytes;

/** The owner's traffic rows as stored, each day as the database's offset from UTC_DATE(). */
async function storedTraffic(ownerId: string) {
  const rows: { day_offset: number | string; bytes: number | string }[] = await harness.db.query(
    'SELECT DATEDIFF(`day`, UTC_DATE()) AS day_offset, bytes FROM traffic_days WHERE owner_id = ? ORDER BY `day`',
    [ownerId],
  );
  return rows.map((row) => ({ offset: Number(row.day_offset), bytes: Number(row.bytes) }));
}

/** Writes a traffic row `offsetDays` away from the database's UTC today. */
async function insertTraffic(ownerId: string, offsetDays: number, bytes: number): Promise<void> {
  await harness.db.query(
    'INSERT INTO traffic_days (owner_id, `day`, bytes) VALUES (?, UTC_DATE() + INTERVAL ? DAY, ?)',
    [ownerId, offsetDays, bytes],
  );
}

describe('RecordTraffic', () => {
  it("adds every call to the caller's row of the database's UTC day and reports the sum", async () => {
    const ownerId = newOwnerId();
    const first = await harness.as(ownerId).recordTraffic({ bytes: 3 * MB });
    const second = await harness.as(ownerId).recordTraffic({ bytes: 5 * MB });
    const third = await harness.as(ownerId).recordTraffic({ bytes: 7 });

    expect([first, second, third].map((response) => response.usage?.trafficUsedBytes)).toEqual([
      3 * MB,
      8 * MB,
      8 * MB + 7,
    ]);
    expect(third.usage).toEqual({ storageUsedBytes: 0, storageReservedBytes: 0, trafficUsedBytes: 8 * MB + 7 });
    expect(await storedTraffic(ownerId)).toEqual([{ offset: 0, bytes: 8 * MB + 7 }]);
    expect(await trafficUsed(ownerId)).toBe(8 * MB + 7);
    expect(await trafficUsed(newOwnerId())).toBe(0);
  });

  it('records nothing for 0 bytes but still reports the usage', async () => {
    const ownerId = newOwnerId();
    expect((await harness.as(ownerId).recordTraffic({ bytes: 0 })).usage?.trafficUsedBytes).toBe(0);
    expect(await storedTraffic(ownerId)).toEqual([]);

    await harness.as(ownerId).recordTraffic({ bytes: 10 });
    expect((await harness.as(ownerId).recordTraffic({ bytes: 0 })).usage?.trafficUsedBytes).toBe(10);
    expect(await storedTraffic(ownerId)).toEqual([{ offset: 0, bytes: 10 }]);
  });

  it('rejects negative bytes with VALIDATION_FAILED and records nothing', async () => {
    const ownerId = newOwnerId();
    const error = await expectDomainError(
      harness.as(ownerId).recordTraffic({ bytes: -1 }),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(error.details).toEqual({ field: 'bytes' });
    expect(await storedTraffic(ownerId)).toEqual([]);
  });

  it('answers UNAUTHENTICATED without a caller token or with a forged one', async () => {
    await expectDomainError(harness.client.recordTraffic({ bytes: 1 }), ErrorCode.UNAUTHENTICATED);
    const ownerId = newOwnerId();
    await expectDomainError(
      harness.as(ownerId, 'normal', 'another-secret-0123456789abcdef').recordTraffic({ bytes: 1 }),
      ErrorCode.UNAUTHENTICATED,
    );
    expect(await storedTraffic(ownerId)).toEqual([]);
  });
});

describe('traffic window', () => {
  it("sums today for a day-window group, the current UTC month for a month-window group and today when there's no limit", async () => {
    const ownerId = newOwnerId();
    await harness.as(ownerId).recordTraffic({ bytes: 1 });
    await insertTraffic(ownerId, -1, 20);
    await insertTraffic(ownerId, -40, 300);
    // Only a wrong clock could write a future day; it is outside every window all the same.
    await insertTraffic(ownerId, 1, 4000);
    await insertTraffic(newOwnerId(), 0, 50_000);

    // Whether yesterday is in this month is the database's answer, so the test holds on the 1st too.
    const [{ inMonth }]: { inMonth: number | string }[] = await harness.db.query(
      "SELECT (UTC_DATE() - INTERVAL 1 DAY) >= DATE_FORMAT(UTC_DATE(), '%Y-%m-01') AS inMonth",
    );
    expect(await trafficUsed(ownerId, 'normal')).toBe(1);
    expect(await trafficUsed(ownerId, 'anonymous')).toBe(1);
    expect(await trafficUsed(ownerId, 'vip')).toBe(Number(inMonth) === 1 ? 21 : 1);
    expect(await trafficUsed(ownerId, 'admin')).toBe(1);
  });

  it('is part of the usage that SettleReservation and MoveFileStorage answer', async () => {
    const ownerId = newOwnerId();
    await harness.as(ownerId, 'vip').recordTraffic({ bytes: 42 });
    const { reservationId } = await harness.as(ownerId, 'vip').reserveStorage({ requestedBytes: MB });
    const fileId = randomUUID();
    const settled = await harness.as(ownerId, 'vip').settleReservation({ reservationId, fileId, actualBytes: MB });
    expect(settled.usage).toEqual({ storageUsedBytes: MB, storageReservedBytes: 0, trafficUsedBytes: 42 });

    const target = newOwnerId();
    await harness.as(target, 'normal').recordTraffic({ bytes: 9 });
    const moved = await harness.as(target, 'normal').moveFileStorage({ fileId, fromOwnerId: ownerId });
    expect(moved.usage).toEqual({ storageUsedBytes: MB, storageReservedBytes: 0, trafficUsedBytes: 9 });
  });

  it('answers 0 for an owner it has never seen, in every group', async () => {
    const ownerId = newOwnerId();
    for (const group of ['anonymous', 'normal', 'vip', 'admin']) expect(await trafficUsed(ownerId, group)).toBe(0);
  });
});

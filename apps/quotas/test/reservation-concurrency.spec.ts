import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import {
  newOwnerId,
  startQuotas,
  storedAccount,
  storedReservations,
  type QuotasHarness,
} from './support/quotas-harness.js';

const MB = 1_000_000;

let harness: QuotasHarness;

beforeAll(async () => {
  harness = await startQuotas();
});

afterAll(() => harness?.close());

function settledOutcomes<T>(results: PromiseSettledResult<T>[]) {
  const fulfilled = results.filter((r): r is PromiseFulfilledResult<T> => r.status === 'fulfilled').map((r) => r.value);
  const errors = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => r.reason as unknown);
  return { fulfilled, errors };
}

describe('concurrent reservations of one owner', () => {
  // 2 GB of anonymous storage holds 13 reservations of 150 MB (1.95 GB), never 14.
  it.each([1, 2])('let exactly 13 of 30 reservations of 150 MB through (run %i)', async () => {
    const ownerId = newOwnerId();
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => harness.as(ownerId, 'anonymous').reserveStorage({ requestedBytes: 150 * MB })),
    );
    const { fulfilled, errors } = settledOutcomes(results);

    expect(fulfilled).toHaveLength(13);
    expect(errors).toHaveLength(17);
    for (const error of errors) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(ErrorCode.STORAGE_QUOTA_EXCEEDED);
    }
    expect(fulfilled.every((response) => response.reservedBytes === 150 * MB)).toBe(true);
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 13 * 150 * MB });
    const reservations = await storedReservations(harness.db, ownerId);
    expect(reservations.map((r) => r.id).sort()).toEqual(fulfilled.map((r) => r.reservationId).sort());
    expect(reservations.reduce((sum, r) => sum + (r.bytes ?? 0), 0)).toBe(13 * 150 * MB);
  });

  it('keeps the counters exact when settles and releases of one owner race', async () => {
    const ownerId = newOwnerId();
    const reservations = [];
    for (let i = 0; i < 12; i++) {
      reservations.push(await harness.as(ownerId, 'anonymous').reserveStorage({ requestedBytes: 100 * MB }));
    }
    const fileId = randomUUID();
    // Half are settled, all for the same file, so its bytes must be counted once; the rest are released.
    await Promise.all(
      reservations.map(({ reservationId }, i) =>
        i % 2 === 0
          ? harness.as(ownerId).settleReservation({ reservationId, fileId, actualBytes: 60 * MB })
          : harness.as(ownerId).releaseReservation({ reservationId }),
      ),
    );

    const leftOver = await storedReservations(harness.db, ownerId);
    expect(leftOver).toHaveLength(5);
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 60 * MB, reservedBytes: 5 * 100 * MB });
  });
});

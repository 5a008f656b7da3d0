import { randomUUID } from 'node:crypto';
import { quotasV1 } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import {
  expectDomainError,
  newOwnerId,
  startQuotas,
  storedAccount,
  storedReservations,
  type QuotasHarness,
} from './support/quotas-harness.js';

const { LimitKind } = quotasV1;
const MB = 1_000_000;
const GB = 1_000_000_000;
const DAY_MS = 24 * 60 * 60 * 1000;

let harness: QuotasHarness;

beforeAll(async () => {
  harness = await startQuotas();
});

afterAll(() => harness?.close());

const reserve = (ownerId: string, group: string, requestedBytes?: number) =>
  harness.as(ownerId, group).reserveStorage({ requestedBytes });

const usage = async (ownerId: string) => (await harness.as(ownerId).getUsage({})).usage;

describe('ReserveStorage', () => {
  it('reserves the declared size, records the reservation for 24 hours and counts it as reserved', async () => {
    const ownerId = newOwnerId();
    const before = Date.now();
    const response = await reserve(ownerId, 'anonymous', 150 * MB);

    expect(response.reservationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(response.reservedBytes).toBe(150 * MB);
    expect(response.limitedBy).toBe(LimitKind.LIMIT_KIND_MAX_FILE_SIZE);
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 150 * MB });
    const [row, ...others] = await storedReservations(harness.db, ownerId);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ id: response.reservationId, bytes: 150 * MB });
    expect(row?.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(DAY_MS);
    expect(await usage(ownerId)).toEqual({ storageUsedBytes: 0, storageReservedBytes: 150 * MB, trafficUsedBytes: 0 });
  });

  it('reserves the largest allowed file when no size is declared', async () => {
    const ownerId = newOwnerId();
    const response = await reserve(ownerId, 'normal');
    expect(response.reservedBytes).toBe(2 * GB);
    expect(response.limitedBy).toBe(LimitKind.LIMIT_KIND_MAX_FILE_SIZE);
  });

  it('reserves only what is left of storage when that is less than the largest file', async () => {
    const ownerId = newOwnerId();
    for (let i = 0; i < 3; i++) await reserve(ownerId, 'anonymous', 500 * MB);
    await reserve(ownerId, 'anonymous', 300 * MB);
    const response = await reserve(ownerId, 'anonymous');
    expect(response.reservedBytes).toBe(200 * MB);
    expect(response.limitedBy).toBe(LimitKind.LIMIT_KIND_STORAGE);
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 2 * GB });
  });

  it('refuses a file over the group maximum with FILE_TOO_LARGE and reserves nothing', async () => {
    const ownerId = newOwnerId();
    const error = await expectDomainError(reserve(ownerId, 'anonymous', 500 * MB + 1), ErrorCode.FILE_TOO_LARGE);
    expect(error.details).toEqual({ maxFileBytes: 500 * MB });
    expect(await storedReservations(harness.db, ownerId)).toEqual([]);
    expect(await usage(ownerId)).toEqual({ storageUsedBytes: 0, storageReservedBytes: 0, trafficUsedBytes: 0 });
  });

  it('reserves without a bound for admin and counts the settled size as used', async () => {
    const ownerId = newOwnerId();
    const response = await reserve(ownerId, 'admin');
    expect(response.reservedBytes).toBeUndefined();
    expect(response.limitedBy).toBe(LimitKind.LIMIT_KIND_UNSPECIFIED);
    expect(await storedReservations(harness.db, ownerId)).toMatchObject([{ bytes: null }]);

    const settled = await harness.as(ownerId).settleReservation({
      reservationId: response.reservationId,
      fileId: randomUUID(),
      actualBytes: 70 * GB,
    });
    expect(settled.usage).toEqual({ storageUsedBytes: 70 * GB, storageReservedBytes: 0, trafficUsedBytes: 0 });
  });

  it('reserves the declared size for admin without naming a limit', async () => {
    const response = await reserve(newOwnerId(), 'admin', 9 * GB);
    expect(response.reservedBytes).toBe(9 * GB);
    expect(response.limitedBy).toBe(LimitKind.LIMIT_KIND_UNSPECIFIED);
  });

  it('rejects a missing, incomplete or forged caller, a negative size, and an unknown group', async () => {
    const ownerId = newOwnerId();
    await expectDomainError(harness.client.reserveStorage({ requestedBytes: 1 }), ErrorCode.UNAUTHENTICATED);
    await expectDomainError(reserve('', 'anonymous'), ErrorCode.UNAUTHENTICATED);
    await expectDomainError(reserve(ownerId, ''), ErrorCode.UNAUTHENTICATED);
    await expectDomainError(
      harness.as(ownerId, 'admin', 'another-secret-0123456789abcdef').reserveStorage({ requestedBytes: 1 }),
      ErrorCode.UNAUTHENTICATED,
    );
    await expectDomainError(reserve('x'.repeat(97), 'anonymous'), ErrorCode.VALIDATION_FAILED);
    await expectDomainError(reserve(ownerId, 'anonymous', -1), ErrorCode.VALIDATION_FAILED);
    await expectDomainError(reserve(ownerId, 'platinum', 1), ErrorCode.NOT_FOUND);
    expect(await storedAccount(harness.db, ownerId)).toBeNull();
  });

  it('answers STORAGE_QUOTA_EXCEEDED at the limit and reserves again after a release', async () => {
    const ownerId = newOwnerId();
    const reservations = [];
    for (let i = 0; i < 4; i++) reservations.push(await reserve(ownerId, 'anonymous'));
    expect(reservations.map((r) => r.reservedBytes)).toEqual([500 * MB, 500 * MB, 500 * MB, 500 * MB]);

    const full = await expectDomainError(reserve(ownerId, 'anonymous'), ErrorCode.STORAGE_QUOTA_EXCEEDED);
    expect(full.details).toEqual({ remainingBytes: 0 });
    await expectDomainError(reserve(ownerId, 'anonymous', 1), ErrorCode.STORAGE_QUOTA_EXCEEDED);
    // An empty file still fits exactly at the limit.
    const empty = await reserve(ownerId, 'anonymous', 0);
    expect(empty.reservedBytes).toBe(0);

    await harness.as(ownerId).releaseReservation({ reservationId: reservations[1]!.reservationId });
    const again = await reserve(ownerId, 'anonymous');
    expect(again.reservedBytes).toBe(500 * MB);
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 2 * GB });
  });

  it('counts stored files against the limit until their storage is released', async () => {
    const ownerId = newOwnerId();
    const fileIds = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const fileId of fileIds) {
      const { reservationId } = await reserve(ownerId, 'anonymous', 500 * MB);
      await harness.as(ownerId).settleReservation({ reservationId, fileId, actualBytes: 500 * MB });
    }
    const full = await expectDomainError(reserve(ownerId, 'anonymous', 1), ErrorCode.STORAGE_QUOTA_EXCEEDED);
    expect(full.details).toEqual({ remainingBytes: 0 });

    await harness.as(ownerId).releaseFileStorage({ fileId: fileIds[0]! });
    const again = await reserve(ownerId, 'anonymous');
    expect(again.reservedBytes).toBe(500 * MB);
  });
});

describe('SettleReservation', () => {
  it('turns the reservation into used storage of the real size, once per file', async () => {
    const ownerId = newOwnerId();
    const fileId = randomUUID();
    const { reservationId } = await reserve(ownerId, 'anonymous', 100 * MB);
    const other = await reserve(ownerId, 'anonymous', 40 * MB);

    const settled = await harness.as(ownerId).settleReservation({ reservationId, fileId, actualBytes: 80 * MB });
    expect(settled.usage).toEqual({ storageUsedBytes: 80 * MB, storageReservedBytes: 40 * MB, trafficUsedBytes: 0 });
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 80 * MB, reservedBytes: 40 * MB });
    expect((await storedReservations(harness.db, ownerId)).map((r) => r.id)).toEqual([other.reservationId]);
    const ledger: { owner_id: string; bytes: number }[] = await harness.db.query(
      'SELECT owner_id, bytes FROM stored_files WHERE file_id = ?',
      [fileId],
    );
    expect(ledger.map((row) => ({ ownerId: row.owner_id, bytes: Number(row.bytes) }))).toEqual([
      { ownerId, bytes: 80 * MB },
    ]);

    // The same settle again, and a settle of the same file through another reservation, change nothing.
    const repeated = await harness.as(ownerId).settleReservation({ reservationId, fileId, actualBytes: 80 * MB });
    expect(repeated.usage).toEqual(settled.usage);
    const twice = await harness.as(ownerId).settleReservation({
      reservationId: other.reservationId,
      fileId,
      actualBytes: 40 * MB,
    });
    expect(twice.usage).toEqual(settled.usage);
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 80 * MB, reservedBytes: 40 * MB });
    expect(await usage(ownerId)).toEqual({
      storageUsedBytes: 80 * MB,
      storageReservedBytes: 40 * MB,
      trafficUsedBytes: 0,
    });
  });

  it('accepts exactly the reserved size and refuses more, leaving the reservation in place', async () => {
    const ownerId = newOwnerId();
    const { reservationId } = await reserve(ownerId, 'anonymous', 10 * MB);
    const error = await expectDomainError(
      harness.as(ownerId).settleReservation({ reservationId, fileId: randomUUID(), actualBytes: 10 * MB + 1 }),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(error.details).toEqual({ reservedBytes: 10 * MB });
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 10 * MB });

    const settled = await harness.as(ownerId).settleReservation({
      reservationId,
      fileId: randomUUID(),
      actualBytes: 10 * MB,
    });
    expect(settled.usage).toEqual({ storageUsedBytes: 10 * MB, storageReservedBytes: 0, trafficUsedBytes: 0 });
  });

  it("answers NOT_FOUND for an unknown reservation or another owner's", async () => {
    const ownerId = newOwnerId();
    const stranger = newOwnerId();
    await reserve(stranger, 'anonymous', 1);
    const { reservationId } = await reserve(ownerId, 'anonymous', 5 * MB);

    const settle = (owner: string, id: string) =>
      harness.as(owner).settleReservation({ reservationId: id, fileId: randomUUID(), actualBytes: 1 });
    await expectDomainError(settle(stranger, reservationId), ErrorCode.NOT_FOUND);
    await expectDomainError(settle(ownerId, randomUUID()), ErrorCode.NOT_FOUND);
    await expectDomainError(settle(newOwnerId(), reservationId), ErrorCode.NOT_FOUND);
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 5 * MB });
    expect(await storedAccount(harness.db, stranger)).toEqual({ usedBytes: 0, reservedBytes: 1 });
  });

  it('rejects negative sizes and missing ids', async () => {
    const ownerId = newOwnerId();
    const { reservationId } = await reserve(ownerId, 'anonymous', 5);
    const fileId = randomUUID();
    const settle = (request: Partial<quotasV1.SettleReservationRequest>) =>
      harness.as(ownerId).settleReservation({ reservationId, fileId, actualBytes: 1, ...request });
    await expectDomainError(settle({ actualBytes: -1 }), ErrorCode.VALIDATION_FAILED);
    await expectDomainError(settle({ reservationId: '' }), ErrorCode.VALIDATION_FAILED);
    await expectDomainError(settle({ fileId: '' }), ErrorCode.VALIDATION_FAILED);
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 5 });
  });

  it("refuses to record a file id already in another owner's ledger", async () => {
    const first = newOwnerId();
    const second = newOwnerId();
    const fileId = randomUUID();
    const a = await reserve(first, 'anonymous', 10);
    const b = await reserve(second, 'anonymous', 10);
    await harness.as(first).settleReservation({ reservationId: a.reservationId, fileId, actualBytes: 10 });
    await expectDomainError(
      harness.as(second).settleReservation({ reservationId: b.reservationId, fileId, actualBytes: 10 }),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(await storedAccount(harness.db, second)).toEqual({ usedBytes: 0, reservedBytes: 10 });
  });
});

describe('ReleaseReservation', () => {
  it('gives the reserved bytes back, and a second release changes nothing', async () => {
    const ownerId = newOwnerId();
    const kept = await reserve(ownerId, 'normal', 3 * MB);
    const { reservationId } = await reserve(ownerId, 'normal', 7 * MB);

    await harness.as(ownerId).releaseReservation({ reservationId });
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 3 * MB });
    await harness.as(ownerId).releaseReservation({ reservationId });
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 3 * MB });
    expect((await storedReservations(harness.db, ownerId)).map((r) => r.id)).toEqual([kept.reservationId]);
  });

  it("succeeds without effect for an unknown reservation, an unknown owner or another owner's reservation", async () => {
    const ownerId = newOwnerId();
    const { reservationId } = await reserve(ownerId, 'normal', 3 * MB);
    await harness.as(ownerId).releaseReservation({ reservationId: randomUUID() });
    await harness.as(newOwnerId()).releaseReservation({ reservationId });
    const stranger = newOwnerId();
    await reserve(stranger, 'normal', 1);
    await harness.as(stranger).releaseReservation({ reservationId });

    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 3 * MB });
    expect(await storedAccount(harness.db, stranger)).toEqual({ usedBytes: 0, reservedBytes: 1 });
  });

  it('releases an unbounded reservation', async () => {
    const ownerId = newOwnerId();
    const { reservationId } = await reserve(ownerId, 'admin');
    await harness.as(ownerId).releaseReservation({ reservationId });
    expect(await storedReservations(harness.db, ownerId)).toEqual([]);
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 0, reservedBytes: 0 });
  });

  it('rejects missing ids', async () => {
    await expectDomainError(
      harness.as(newOwnerId()).releaseReservation({ reservationId: '' }),
      ErrorCode.VALIDATION_FAILED,
    );
    await expectDomainError(
      harness.client.releaseReservation({ reservationId: randomUUID() }),
      ErrorCode.UNAUTHENTICATED,
    );
  });
});

describe('ReleaseFileStorage', () => {
  it("gives a stored file's bytes back once; repeats and strangers change nothing", async () => {
    const ownerId = newOwnerId();
    const kept = randomUUID();
    const deleted = randomUUID();
    for (const [fileId, actualBytes] of [
      [kept, 30 * MB],
      [deleted, 20 * MB],
    ] as const) {
      const { reservationId } = await reserve(ownerId, 'vip', actualBytes);
      await harness.as(ownerId).settleReservation({ reservationId, fileId, actualBytes });
    }
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 50 * MB, reservedBytes: 0 });

    await harness.as(newOwnerId()).releaseFileStorage({ fileId: deleted });
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 50 * MB, reservedBytes: 0 });

    await harness.as(ownerId).releaseFileStorage({ fileId: deleted });
    expect(await storedAccount(harness.db, ownerId)).toEqual({ usedBytes: 30 * MB, reservedBytes: 0 });
    await harness.as(ownerId).releaseFileStorage({ fileId: deleted });
    await harness.as(ownerId).releaseFileStorage({ fileId: randomUUID() });
    expect(await usage(ownerId)).toEqual({ storageUsedBytes: 30 * MB, storageReservedBytes: 0, trafficUsedBytes: 0 });

    const ledger: { file_id: string }[] = await harness.db.query(
      'SELECT file_id FROM stored_files WHERE owner_id = ?',
      [ownerId],
    );
    expect(ledger.map((row) => row.file_id)).toEqual([kept]);
  });

  it('rejects missing ids', async () => {
    await expectDomainError(harness.client.releaseFileStorage({ fileId: randomUUID() }), ErrorCode.UNAUTHENTICATED);
    await expectDomainError(harness.as(newOwnerId()).releaseFileStorage({ fileId: '' }), ErrorCode.VALIDATION_FAILED);
  });
});

describe('GetUsage', () => {
  it('answers zeros for an owner it has never seen, without creating an account', async () => {
    const ownerId = newOwnerId();
    expect(await usage(ownerId)).toEqual({ storageUsedBytes: 0, storageReservedBytes: 0, trafficUsedBytes: 0 });
    expect(await storedAccount(harness.db, ownerId)).toBeNull();
  });

  it('answers UNAUTHENTICATED without a caller token or with one signed by another secret (AUTH-08)', async () => {
    await expectDomainError(harness.client.getUsage({}), ErrorCode.UNAUTHENTICATED);
    await expectDomainError(
      harness.as(newOwnerId(), 'normal', 'another-secret-0123456789abcdef').getUsage({}),
      ErrorCode.UNAUTHENTICATED,
    );
  });

  it("answers only the caller's own usage", async () => {
    const ownerId = newOwnerId();
    await reserve(ownerId, 'normal', 5 * MB);
    expect(await usage(ownerId)).toEqual({ storageUsedBytes: 0, storageReservedBytes: 5 * MB, trafficUsedBytes: 0 });
    expect(await usage(newOwnerId())).toEqual({ storageUsedBytes: 0, storageReservedBytes: 0, trafficUsedBytes: 0 });
  });
});

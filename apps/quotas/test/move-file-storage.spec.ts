import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import {
  expectDomainError,
  ledgerOwner as ledgerOwnerOf,
  newOwnerId,
  startQuotas,
  storeFile as storeFileOf,
  storedAccount,
  type QuotasHarness,
} from './support/quotas-harness.js';

const MB = 1_000_000;

let harness: QuotasHarness;

beforeAll(async () => {
  harness = await startQuotas();
});

afterAll(() => harness?.close());

const storeFile = (ownerId: string, group: string, bytes: number) => storeFileOf(harness, ownerId, group, bytes);
const ledgerOwner = (fileId: string) => ledgerOwnerOf(harness.db, fileId);

describe('MoveFileStorage', () => {
  it("moves a file's bytes and ledger row to the caller exactly once", async () => {
    const anonymous = newOwnerId();
    const user = newOwnerId();
    const fileId = await storeFile(anonymous, 'anonymous', 100 * MB);
    const other = await storeFile(anonymous, 'anonymous', 7 * MB);
    await harness.as(user, 'normal').reserveStorage({ requestedBytes: 3 * MB });

    const moved = await harness.as(user, 'normal').moveFileStorage({ fileId, fromOwnerId: anonymous });
    expect(moved.usage).toEqual({ storageUsedBytes: 100 * MB, storageReservedBytes: 3 * MB, trafficUsedBytes: 0 });
    expect(await storedAccount(harness.db, anonymous)).toEqual({ usedBytes: 7 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, user)).toEqual({ usedBytes: 100 * MB, reservedBytes: 3 * MB });
    expect(await ledgerOwner(fileId)).toBe(user);
    expect(await ledgerOwner(other)).toBe(anonymous);

    // Repeating the move changes nothing and reports the same usage.
    const again = await harness.as(user, 'normal').moveFileStorage({ fileId, fromOwnerId: anonymous });
    expect(again.usage).toEqual(moved.usage);
    expect(await storedAccount(harness.db, anonymous)).toEqual({ usedBytes: 7 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, user)).toEqual({ usedBytes: 100 * MB, reservedBytes: 3 * MB });

    // Deleting the file now gives the bytes back to the new owner only.
    await harness.as(anonymous, 'anonymous').releaseFileStorage({ fileId });
    expect(await storedAccount(harness.db, user)).toEqual({ usedBytes: 100 * MB, reservedBytes: 3 * MB });
    await harness.as(user, 'normal').releaseFileStorage({ fileId });
    expect(await storedAccount(harness.db, user)).toEqual({ usedBytes: 0, reservedBytes: 3 * MB });
    expect(await storedAccount(harness.db, anonymous)).toEqual({ usedBytes: 7 * MB, reservedBytes: 0 });
  });

  it('creates the account of a caller that never stored anything', async () => {
    const anonymous = newOwnerId();
    const user = newOwnerId();
    const fileId = await storeFile(anonymous, 'anonymous', 5 * MB);
    expect(await storedAccount(harness.db, user)).toBeNull();
    await harness.as(user, 'vip').moveFileStorage({ fileId, fromOwnerId: anonymous });
    expect(await storedAccount(harness.db, user)).toEqual({ usedBytes: 5 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, anonymous)).toEqual({ usedBytes: 0, reservedBytes: 0 });
  });

  it("refuses a file over the caller's largest file with FILE_TOO_LARGE and moves nothing", async () => {
    const vip = newOwnerId();
    const target = newOwnerId();
    const fileId = await storeFile(vip, 'vip', 500 * MB + 1);

    const error = await expectDomainError(
      harness.as(target, 'anonymous').moveFileStorage({ fileId, fromOwnerId: vip }),
      ErrorCode.FILE_TOO_LARGE,
    );
    expect(error.details).toEqual({ maxFileBytes: 500 * MB });
    expect(await ledgerOwner(fileId)).toBe(vip);
    expect(await storedAccount(harness.db, vip)).toEqual({ usedBytes: 500 * MB + 1, reservedBytes: 0 });
    expect((await storedAccount(harness.db, target)) ?? { usedBytes: 0, reservedBytes: 0 }).toEqual({
      usedBytes: 0,
      reservedBytes: 0,
    });
  });

  it("refuses a file past the caller's remaining storage, counting its reservations, and accepts one that fits exactly", async () => {
    const source = newOwnerId();
    const target = newOwnerId();
    const tooBig = await storeFile(source, 'normal', 201 * MB);
    const fits = await storeFile(source, 'normal', 200 * MB);
    // 2 GB of anonymous storage: 1.5 GB stored and 300 MB reserved leave 200 MB.
    for (let i = 0; i < 3; i++) await storeFile(target, 'anonymous', 500 * MB);
    await harness.as(target, 'anonymous').reserveStorage({ requestedBytes: 300 * MB });

    const error = await expectDomainError(
      harness.as(target, 'anonymous').moveFileStorage({ fileId: tooBig, fromOwnerId: source }),
      ErrorCode.STORAGE_QUOTA_EXCEEDED,
    );
    expect(error.details).toEqual({ remainingBytes: 200 * MB });
    expect(await ledgerOwner(tooBig)).toBe(source);

    const moved = await harness.as(target, 'anonymous').moveFileStorage({ fileId: fits, fromOwnerId: source });
    expect(moved.usage).toEqual({ storageUsedBytes: 1700 * MB, storageReservedBytes: 300 * MB, trafficUsedBytes: 0 });
    expect(await storedAccount(harness.db, source)).toEqual({ usedBytes: 201 * MB, reservedBytes: 0 });
  });

  it('answers NOT_FOUND for a file another owner holds, an unknown file, or a move from oneself', async () => {
    const owner = newOwnerId();
    const claimed = newOwnerId();
    const thief = newOwnerId();
    const fileId = await storeFile(owner, 'normal', 1 * MB);
    await storeFile(claimed, 'normal', 1 * MB);

    const move = (fromOwnerId: string, id = fileId) =>
      harness.as(thief, 'admin').moveFileStorage({ fileId: id, fromOwnerId });
    await expectDomainError(move(claimed), ErrorCode.NOT_FOUND);
    await expectDomainError(move(thief), ErrorCode.NOT_FOUND);
    await expectDomainError(move(owner, randomUUID()), ErrorCode.NOT_FOUND);
    expect(await ledgerOwner(fileId)).toBe(owner);
    expect(await storedAccount(harness.db, owner)).toEqual({ usedBytes: 1 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, claimed)).toEqual({ usedBytes: 1 * MB, reservedBytes: 0 });
  });

  it('rejects calls without a valid caller token and requests without ids', async () => {
    const owner = newOwnerId();
    const fileId = await storeFile(owner, 'normal', 1 * MB);
    await expectDomainError(harness.client.moveFileStorage({ fileId, fromOwnerId: owner }), ErrorCode.UNAUTHENTICATED);
    await expectDomainError(
      harness
        .as(newOwnerId(), 'admin', 'forged-secret-0123456789abcdef')
        .moveFileStorage({ fileId, fromOwnerId: owner }),
      ErrorCode.UNAUTHENTICATED,
    );
    await expectDomainError(
      harness.as(newOwnerId()).moveFileStorage({ fileId: '', fromOwnerId: owner }),
      ErrorCode.VALIDATION_FAILED,
    );
    await expectDomainError(
      harness.as(newOwnerId()).moveFileStorage({ fileId, fromOwnerId: '' }),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(await ledgerOwner(fileId)).toBe(owner);
  });

  it('counts a file once when the same move runs concurrently', async () => {
    const anonymous = newOwnerId();
    const user = newOwnerId();
    const fileId = await storeFile(anonymous, 'anonymous', 40 * MB);
    await storeFile(anonymous, 'anonymous', 2 * MB);

    const results = await Promise.all(
      Array.from({ length: 12 }, () => harness.as(user, 'normal').moveFileStorage({ fileId, fromOwnerId: anonymous })),
    );
    expect(results.every((result) => result.usage?.storageUsedBytes === 40 * MB)).toBe(true);
    expect(await storedAccount(harness.db, user)).toEqual({ usedBytes: 40 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, anonymous)).toEqual({ usedBytes: 2 * MB, reservedBytes: 0 });
    expect(await ledgerOwner(fileId)).toBe(user);
  });

  it('gives a file contested by several callers to exactly one of them', async () => {
    const anonymous = newOwnerId();
    const fileId = await storeFile(anonymous, 'anonymous', 9 * MB);
    const callers = Array.from({ length: 6 }, () => newOwnerId());

    const outcomes = await Promise.allSettled(
      callers.map((user) => harness.as(user, 'normal').moveFileStorage({ fileId, fromOwnerId: anonymous })),
    );
    const winners = callers.filter((_, i) => outcomes[i]?.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(DomainError);
        expect((outcome.reason as DomainError).code).toBe(ErrorCode.NOT_FOUND);
      }
    }
    expect(await ledgerOwner(fileId)).toBe(winners[0]);
    expect(await storedAccount(harness.db, winners[0]!)).toEqual({ usedBytes: 9 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, anonymous)).toEqual({ usedBytes: 0, reservedBytes: 0 });
  });

  it('moves files both ways between two accounts at once without losing a byte', async () => {
    const a = newOwnerId();
    const b = newOwnerId();
    const fromA = await Promise.all(Array.from({ length: 5 }, () => storeFile(a, 'normal', 1 * MB)));
    const fromB = await Promise.all(Array.from({ length: 5 }, () => storeFile(b, 'normal', 2 * MB)));

    await Promise.all([
      ...fromA.map((fileId) => harness.as(b, 'normal').moveFileStorage({ fileId, fromOwnerId: a })),
      ...fromB.map((fileId) => harness.as(a, 'normal').moveFileStorage({ fileId, fromOwnerId: b })),
    ]);
    expect(await storedAccount(harness.db, a)).toEqual({ usedBytes: 10 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, b)).toEqual({ usedBytes: 5 * MB, reservedBytes: 0 });
  });
});

import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { signCallerToken } from '@lexy/server-grpc';
import {
  actingAs,
  CALLER_SECRET,
  caller,
  expectDomainError,
  ledgerOwner,
  newOwnerId,
  serviceCallerToken,
  startQuotas,
  storeFile,
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

const store = (ownerId: string, bytes: number, group = 'normal') => storeFile(harness, ownerId, group, bytes);
const reserve = async (ownerId: string, requestedBytes?: number, group = 'normal') =>
  (await harness.as(ownerId, group).reserveStorage({ requestedBytes })).reservationId;

/** Moves the reservation's expiry `secondsAgo` into the past, by the database's clock. */
async function expire(reservationId: string, secondsAgo: number): Promise<void> {
  await harness.db.query('UPDATE reservations SET expires_at = UTC_TIMESTAMP(3) - INTERVAL ? SECOND WHERE id = ?', [
    secondsAgo,
    reservationId,
  ]);
}

describe('ReleaseStoredFiles', () => {
  it("gives each purged file's bytes back to whoever owns it, once", async () => {
    const a = newOwnerId();
    const b = newOwnerId();
    const a1 = await store(a, 10 * MB);
    const a2 = await store(a, 5 * MB);
    const kept = await store(a, 3 * MB);
    const b1 = await store(b, 7 * MB, 'vip');
    await reserve(b, 2 * MB);

    const first = await harness.asService().releaseStoredFiles({ fileIds: [a1, b1, a2, randomUUID(), a1] });
    expect(first).toEqual({ released: 3, releasedBytes: 22 * MB });
    expect(await storedAccount(harness.db, a)).toEqual({ usedBytes: 3 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, b)).toEqual({ usedBytes: 0, reservedBytes: 2 * MB });
    for (const fileId of [a1, a2, b1]) expect(await ledgerOwner(harness.db, fileId)).toBeUndefined();
    expect(await ledgerOwner(harness.db, kept)).toBe(a);

    // The ledger rows went with the bytes: a repeated release gives nothing back.
    const again = await harness.asService().releaseStoredFiles({ fileIds: [a1, b1, a2] });
    expect(again).toEqual({ released: 0, releasedBytes: 0 });
    expect(await storedAccount(harness.db, a)).toEqual({ usedBytes: 3 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, b)).toEqual({ usedBytes: 0, reservedBytes: 2 * MB });

    // The owner's own release of an already purged file changes nothing either.
    await harness.as(a).releaseFileStorage({ fileId: a1 });
    expect(await storedAccount(harness.db, a)).toEqual({ usedBytes: 3 * MB, reservedBytes: 0 });
  });

  it('answers nothing released for no ids', async () => {
    expect(await harness.asService().releaseStoredFiles({ fileIds: [] })).toEqual({ released: 0, releasedBytes: 0 });
  });

  it('releases each file once when several calls release the same files at once', async () => {
    const a = newOwnerId();
    const b = newOwnerId();
    const fileIds = [
      ...(await Promise.all(Array.from({ length: 6 }, () => store(a, 1 * MB)))),
      ...(await Promise.all(Array.from({ length: 4 }, () => store(b, 2 * MB)))),
    ];
    const kept = await store(a, 4 * MB);

    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        // Each call names the files in another order, so their transactions interleave.
        harness.asService().releaseStoredFiles({ fileIds: i % 2 ? [...fileIds].reverse() : fileIds }),
      ),
    );
    expect(results.reduce((sum, result) => sum + result.released, 0)).toBe(10);
    expect(results.reduce((sum, result) => sum + result.releasedBytes, 0)).toBe(14 * MB);
    expect(await storedAccount(harness.db, a)).toEqual({ usedBytes: 4 * MB, reservedBytes: 0 });
    expect(await storedAccount(harness.db, b)).toEqual({ usedBytes: 0, reservedBytes: 0 });
    expect(await ledgerOwner(harness.db, kept)).toBe(a);
  });

  it('releases a file exactly once from whichever account holds it when a MoveFileStorage races it', async () => {
    const anonymous = newOwnerId();
    const user = newOwnerId();
    const fileIds = await Promise.all(Array.from({ length: 8 }, () => store(anonymous, 3 * MB, 'anonymous')));
    const kept = await store(anonymous, 1 * MB, 'anonymous');

    const [released, ...moves] = await Promise.allSettled([
      harness.asService().releaseStoredFiles({ fileIds }),
      ...fileIds.map((fileId) => harness.as(user, 'normal').moveFileStorage({ fileId, fromOwnerId: anonymous })),
    ]);
    // A move that came second finds the file gone; one that came first hands it to the user,
    // whose account the release then takes it from.
    for (const move of moves) {
      if (move.status === 'rejected') {
        expect(move.reason).toBeInstanceOf(DomainError);
        expect((move.reason as DomainError).code).toBe(ErrorCode.NOT_FOUND);
      }
    }
    expect(released).toEqual({ status: 'fulfilled', value: { released: 8, releasedBytes: 24 * MB } });
    expect(await storedAccount(harness.db, anonymous)).toEqual({ usedBytes: 1 * MB, reservedBytes: 0 });
    expect((await storedAccount(harness.db, user)) ?? { usedBytes: 0, reservedBytes: 0 }).toEqual({
      usedBytes: 0,
      reservedBytes: 0,
    });
    for (const fileId of fileIds) expect(await ledgerOwner(harness.db, fileId)).toBeUndefined();
    expect(await ledgerOwner(harness.db, kept)).toBe(anonymous);
  });
});

describe('ReleaseReservations', () => {
  it('gives back the named reservations whoever holds them, once', async () => {
    const a = newOwnerId();
    const b = newOwnerId();
    const a1 = await reserve(a, 10 * MB);
    const a2 = await reserve(a, 4 * MB);
    const unbounded = await reserve(b, undefined, 'admin');
    const b1 = await reserve(b, 6 * MB);

    const first = await harness.asService().releaseReservations({ reservationIds: [a1, unbounded, b1, randomUUID()] });
    expect(first).toEqual({ released: 3 });
    expect(await storedAccount(harness.db, a)).toEqual({ usedBytes: 0, reservedBytes: 4 * MB });
    expect(await storedAccount(harness.db, b)).toEqual({ usedBytes: 0, reservedBytes: 0 });
    expect((await storedReservations(harness.db, a)).map((row) => row.id)).toEqual([a2]);
    expect(await storedReservations(harness.db, b)).toEqual([]);

    expect(await harness.asService().releaseReservations({ reservationIds: [a1, unbounded, b1] })).toEqual({
      released: 0,
    });
    expect(await storedAccount(harness.db, a)).toEqual({ usedBytes: 0, reservedBytes: 4 * MB });
  });

  it('releases nothing that was settled meanwhile', async () => {
    const owner = newOwnerId();
    const reservationId = await reserve(owner, 8 * MB);
    const fileId = randomUUID();
    await harness.as(owner).settleReservation({ reservationId, fileId, actualBytes: 5 * MB });
    expect(await harness.asService().releaseReservations({ reservationIds: [reservationId] })).toEqual({ released: 0 });
    expect(await storedAccount(harness.db, owner)).toEqual({ usedBytes: 5 * MB, reservedBytes: 0 });
  });
});

describe('ReleaseExpiredReservations', () => {
  it('gives back reservations expired longer than the grace, and keeps the rest', async () => {
    const owner = newOwnerId();
    const long = await reserve(owner, 10 * MB);
    const recent = await reserve(owner, 20 * MB);
    const open = await reserve(owner, 40 * MB);
    await expire(long, 2 * 3600);
    await expire(recent, 5);

    expect(await harness.asService().releaseExpiredReservations({ graceSeconds: 600, limit: 1000 })).toEqual({
      released: 1,
    });
    expect((await storedReservations(harness.db, owner)).map((row) => row.id).sort()).toEqual([recent, open].sort());
    expect(await storedAccount(harness.db, owner)).toEqual({ usedBytes: 0, reservedBytes: 60 * MB });

    expect(await harness.asService().releaseExpiredReservations({ graceSeconds: 0, limit: 1000 })).toEqual({
      released: 1,
    });
    expect((await storedReservations(harness.db, owner)).map((row) => row.id)).toEqual([open]);
    expect(await storedAccount(harness.db, owner)).toEqual({ usedBytes: 0, reservedBytes: 40 * MB });

    // The unexpired one stays, however often the tick runs.
    expect(await harness.asService().releaseExpiredReservations({ graceSeconds: 0, limit: 1000 })).toEqual({
      released: 0,
    });
    expect(await storedAccount(harness.db, owner)).toEqual({ usedBytes: 0, reservedBytes: 40 * MB });
  });

  it('gives back at most `limit` per call, the longest expired first', async () => {
    const a = newOwnerId();
    const b = newOwnerId();
    const oldest = await reserve(a, 1 * MB);
    const middle = await reserve(b, 2 * MB);
    const newest = await reserve(a, 3 * MB);
    await expire(oldest, 300);
    await expire(middle, 200);
    await expire(newest, 100);

    expect(await harness.asService().releaseExpiredReservations({ graceSeconds: 0, limit: 2 })).toEqual({
      released: 2,
    });
    expect((await storedReservations(harness.db, a)).map((row) => row.id)).toEqual([newest]);
    expect(await storedReservations(harness.db, b)).toEqual([]);
    expect(await harness.asService().releaseExpiredReservations({ graceSeconds: 0, limit: 2 })).toEqual({
      released: 1,
    });
    expect(await storedAccount(harness.db, a)).toEqual({ usedBytes: 0, reservedBytes: 0 });
    expect(await storedAccount(harness.db, b)).toEqual({ usedBytes: 0, reservedBytes: 0 });
  });
});

describe('RecomputeStorage', () => {
  async function allAccountIds(): Promise<string[]> {
    const rows: { owner_id: string }[] = await harness.db.query(
      'SELECT owner_id FROM storage_accounts ORDER BY owner_id',
    );
    return rows.map((row) => row.owner_id);
  }

  it('corrects a drifted account from its ledger and reservations, page by page', async () => {
    const drifted = newOwnerId();
    const exact = newOwnerId();
    await store(drifted, 6 * MB);
    await reserve(drifted, 2 * MB);
    await reserve(drifted, undefined, 'admin');
    await store(exact, 1 * MB);
    await harness.db.query(
      'UPDATE storage_accounts SET used_bytes = used_bytes + ?, reserved_bytes = 0 WHERE owner_id = ?',
      [9 * MB, drifted],
    );

    const accounts = await allAccountIds();
    expect(accounts.length).toBeGreaterThan(3);
    const visited: string[] = [];
    let after = '';
    let corrected = 0;
    for (let page = 0; page < accounts.length; page++) {
      const result = await harness.asService().recomputeStorage({ afterAccountId: after, limit: 3 });
      const expected = accounts.slice(visited.length, visited.length + 3);
      expect(result.checked).toBe(expected.length);
      visited.push(...expected);
      corrected += result.corrected;
      if (result.nextAfterAccountId === '') break;
      expect(result.nextAfterAccountId).toBe(expected[2]);
      after = result.nextAfterAccountId;
    }
    expect(visited).toEqual(accounts);
    expect(corrected).toBe(1);
    expect(await storedAccount(harness.db, drifted)).toEqual({ usedBytes: 6 * MB, reservedBytes: 2 * MB });
    expect(await storedAccount(harness.db, exact)).toEqual({ usedBytes: 1 * MB, reservedBytes: 0 });

    // A second pass finds nothing to correct.
    const whole = await harness.asService().recomputeStorage({ afterAccountId: '', limit: 1000 });
    expect(whole).toEqual({ checked: accounts.length, corrected: 0, nextAfterAccountId: '' });
  });

  it('answers the last id of a full page, and an empty last page after it', async () => {
    const accounts = await allAccountIds();
    const last = accounts[accounts.length - 1]!;
    const full = await harness
      .asService()
      .recomputeStorage({ afterAccountId: accounts[accounts.length - 3], limit: 2 });
    expect(full).toEqual({ checked: 2, corrected: 0, nextAfterAccountId: last });
    expect(await harness.asService().recomputeStorage({ afterAccountId: last, limit: 2 })).toEqual({
      checked: 0,
      corrected: 0,
      nextAfterAccountId: '',
    });
  });
});

describe('callers and requests', () => {
  it('serves only platform services: no token is UNAUTHENTICATED, a user is FORBIDDEN', async () => {
    const user = signCallerToken(caller(newOwnerId(), 'admin'), CALLER_SECRET);
    const calls = (client: QuotasHarness['maintenance']) => [
      client.releaseStoredFiles({ fileIds: [randomUUID()] }),
      client.releaseReservations({ reservationIds: [randomUUID()] }),
      client.releaseExpiredReservations({ graceSeconds: 0, limit: 1 }),
      client.recomputeStorage({ afterAccountId: '', limit: 1 }),
    ];
    for (const call of calls(harness.maintenance)) await expectDomainError(call, ErrorCode.UNAUTHENTICATED);
    for (const call of calls(actingAs(harness.maintenance, user))) await expectDomainError(call, ErrorCode.FORBIDDEN);
  });

  it('does not let a platform service act as an owner', async () => {
    const service = actingAs(harness.client, serviceCallerToken());
    await expectDomainError(service.reserveStorage({ requestedBytes: 1 }), ErrorCode.FORBIDDEN);
    await expectDomainError(service.getUsage({}), ErrorCode.FORBIDDEN);
    await expectDomainError(service.releaseFileStorage({ fileId: randomUUID() }), ErrorCode.FORBIDDEN);
    const rows: unknown[] = await harness.db.query(
      "SELECT owner_id FROM storage_accounts WHERE owner_id LIKE 'service:%'",
    );
    expect(rows).toEqual([]);
  });

  it('refuses more than 1000 ids, bad ids and limits out of range with VALIDATION_FAILED', async () => {
    const service = harness.asService();
    const tooMany = Array.from({ length: 1001 }, () => randomUUID());
    await expectDomainError(service.releaseStoredFiles({ fileIds: tooMany }), ErrorCode.VALIDATION_FAILED);
    await expectDomainError(service.releaseReservations({ reservationIds: tooMany }), ErrorCode.VALIDATION_FAILED);
    await expectDomainError(service.releaseStoredFiles({ fileIds: [''] }), ErrorCode.VALIDATION_FAILED);
    await expectDomainError(
      service.releaseReservations({ reservationIds: ['x'.repeat(37)] }),
      ErrorCode.VALIDATION_FAILED,
    );
    for (const limit of [0, 1001]) {
      await expectDomainError(
        service.releaseExpiredReservations({ graceSeconds: 0, limit }),
        ErrorCode.VALIDATION_FAILED,
      );
      await expectDomainError(service.recomputeStorage({ afterAccountId: '', limit }), ErrorCode.VALIDATION_FAILED);
    }
    await expectDomainError(
      service.releaseExpiredReservations({ graceSeconds: -1, limit: 10 }),
      ErrorCode.VALIDATION_FAILED,
    );
    await expectDomainError(
      service.recomputeStorage({ afterAccountId: 'x'.repeat(97), limit: 10 }),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(await service.releaseStoredFiles({ fileIds: Array.from({ length: 1000 }, () => randomUUID()) })).toEqual({
      released: 0,
      releasedBytes: 0,
    });
  });
});

describe('storage_accounts', () => {
  it('refuses negative counters (I4)', async () => {
    const owner = newOwnerId();
    await store(owner, 1 * MB);
    await expect(
      harness.db.query('UPDATE storage_accounts SET used_bytes = -1 WHERE owner_id = ?', [owner]),
    ).rejects.toThrow(/chk_storage_accounts_used_bytes/);
    await expect(
      harness.db.query('UPDATE storage_accounts SET reserved_bytes = reserved_bytes - 1 WHERE owner_id = ?', [owner]),
    ).rejects.toThrow(/chk_storage_accounts_reserved_bytes/);
    expect(await storedAccount(harness.db, owner)).toEqual({ usedBytes: 1 * MB, reservedBytes: 0 });
  });
});

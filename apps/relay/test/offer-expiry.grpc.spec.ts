import { fromTimestamp, type relayV1 } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import type { RowDataPacket } from 'mysql2/promise';
import {
  expectDomainError,
  newGuest,
  newUser,
  serviceCaller,
  startRelay,
  type RelayClient,
  type RelayHarness,
  type RelayMaintenanceClient,
} from './support/relay-harness.js';
import { ACCEPT, devicePair, offer, Status } from './support/relay-scenario.js';

describe('RelayMaintenanceService.ExpireOffers (MariaDB)', () => {
  let relay: RelayHarness;
  let cleanup: RelayMaintenanceClient;

  beforeAll(async () => {
    relay = await startRelay();
    cleanup = relay.maintenanceAs(serviceCaller('cleanup'));
  });

  afterAll(async () => {
    await relay?.close();
  });

  // ExpireOffers spans every account of the database: each test starts with nothing due.
  beforeEach(async () => {
    while ((await cleanup.expireOffers({ limit: 1000 })).transfers.length > 0);
  });

  async function statusOf(transferId: string): Promise<string | undefined> {
    const [rows] = await relay.db.query<RowDataPacket[]>('SELECT status FROM transfers WHERE id = ?', [transferId]);
    return rows[0]?.['status'] as string | undefined;
  }

  /** Moves the offer's expiry `secondsAgo` into the past, as if its TTL had run out. */
  async function letExpire(transferId: string, secondsAgo = 1): Promise<void> {
    await relay.db.query('UPDATE transfers SET expires_at = UTC_TIMESTAMP(3) - INTERVAL ? SECOND WHERE id = ?', [
      secondsAgo,
      transferId,
    ]);
  }

  /** `count` offers of a new account, each already past its expiry (the first the longest). */
  async function overdueOffers(count: number): Promise<{ client: RelayClient; transfers: relayV1.Transfer[] }> {
    const client = relay.as(newUser());
    const [laptop, phone] = await devicePair(client);
    const transfers: relayV1.Transfer[] = [];
    for (let i = 0; i < count; i++) {
      const transfer = await offer(client, laptop, phone);
      await letExpire(transfer.id, 100 + count - i);
      transfers.push(transfer);
    }
    return { client, transfers };
  }

  const idsOf = (transfers: readonly relayV1.Transfer[]) => transfers.map((transfer) => transfer.id);

  it('records overdue offers as expired, and leaves fresh and answered ones alone', async () => {
    const { client, transfers } = await overdueOffers(2);
    const [laptop, phone] = await devicePair(client);
    const fresh = await offer(client, laptop, phone);
    const accepted = await offer(client, laptop, phone);
    await client.changeTransferState({ transferId: accepted.id, action: ACCEPT });
    // Accepted before its expiry: the expiry no longer concerns it, even once it has passed.
    await letExpire(accepted.id);

    const answer = await cleanup.expireOffers({ limit: 100 });

    expect(idsOf(answer.transfers)).toEqual(idsOf(transfers));
    for (const [index, expired] of answer.transfers.entries()) {
      const before = transfers[index]!;
      expect(expired).toEqual(
        expect.objectContaining({
          id: before.id,
          fromDeviceId: before.fromDeviceId,
          toDeviceId: before.toDeviceId,
          files: before.files,
          status: Status.TRANSFER_STATUS_EXPIRED,
        }),
      );
      expect(fromTimestamp(expired.updatedAt)!.getTime()).toBeGreaterThanOrEqual(
        fromTimestamp(before.updatedAt)!.getTime(),
      );
      expect(await statusOf(before.id)).toBe('expired');
      // As the account sees it: expired, and no longer answerable.
      expect((await client.getTransfer({ transferId: before.id })).transfer).toEqual(expired);
      const error = await expectDomainError(
        client.changeTransferState({ transferId: before.id, action: ACCEPT }),
        ErrorCode.TRANSFER_STATE_CONFLICT,
      );
      expect(error.details).toEqual({ status: 'expired' });
    }
    expect(await statusOf(fresh.id)).toBe('pending');
    expect(await statusOf(accepted.id)).toBe('accepted');

    // Nothing is due any more: a second call expires nothing.
    expect((await cleanup.expireOffers({ limit: 100 })).transfers).toEqual([]);
  });

  it('expires at most `limit` offers a call, oldest expiry first', async () => {
    const { transfers } = await overdueOffers(5);

    const batches: string[][] = [];
    for (let call = 0; call < 4; call++) batches.push(idsOf((await cleanup.expireOffers({ limit: 2 })).transfers));

    const ids = idsOf(transfers);
    expect(batches).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4), []]);
  });

  it('expires each offer once when two workers call at the same time', async () => {
    const { transfers } = await overdueOffers(40);

    const seen: string[] = [];
    // Rounds of two racing calls, each too small to take everything alone.
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all([cleanup.expireOffers({ limit: 15 }), cleanup.expireOffers({ limit: 15 })]);
      const taken = answers.flatMap((answer) => idsOf(answer.transfers));
      if (taken.length === 0) break;
      seen.push(...taken);
    }

    expect(seen).toHaveLength(40);
    expect(new Set(seen)).toEqual(new Set(idsOf(transfers)));
    const [rows] = await relay.db.query<RowDataPacket[]>(
      'SELECT status, COUNT(*) AS n FROM transfers WHERE id IN (?) GROUP BY status',
      [idsOf(transfers)],
    );
    expect(rows.map((row) => [row['status'], Number(row['n'])])).toEqual([['expired', 40]]);
  });

  it('expires an offer once when a device answers it at the same time', async () => {
    const { client, transfers } = await overdueOffers(1);
    const [transfer] = transfers;

    const [expiry, answer] = await Promise.allSettled([
      cleanup.expireOffers({ limit: 10 }),
      client.changeTransferState({ transferId: transfer!.id, action: ACCEPT }),
    ]);

    // The answer came too late either way; at most the expiry call reports it, never twice.
    expect(answer).toMatchObject({
      status: 'rejected',
      reason: { code: ErrorCode.TRANSFER_STATE_CONFLICT, details: { status: 'expired' } },
    });
    expect(expiry.status).toBe('fulfilled');
    const reported = expiry.status === 'fulfilled' ? idsOf(expiry.value.transfers) : [];
    const again = idsOf((await cleanup.expireOffers({ limit: 10 })).transfers);
    expect([...reported, ...again].filter((id) => id === transfer!.id).length).toBeLessThanOrEqual(1);
    expect(await statusOf(transfer!.id)).toBe('expired');
  });

  it('is FORBIDDEN to any caller but a platform service, and UNAUTHENTICATED without one', async () => {
    const { transfers } = await overdueOffers(1);

    for (const caller of [newUser(), newGuest()]) {
      await expectDomainError(relay.maintenanceAs(caller).expireOffers({ limit: 10 }), ErrorCode.FORBIDDEN);
    }
    await expectDomainError(relay.maintenance.expireOffers({ limit: 10 }), ErrorCode.UNAUTHENTICATED);
    await expectDomainError(
      relay.maintenanceAs(serviceCaller('cleanup'), 'another-secret-of-at-least-thirty-two-chars').expireOffers({
        limit: 10,
      }),
      ErrorCode.UNAUTHENTICATED,
    );
    expect(await statusOf(transfers[0]!.id)).toBe('pending');
    // A platform service is no account: the owner-scoped service still refuses it.
    await expectDomainError(relay.as(serviceCaller('cleanup')).listDevices({}), ErrorCode.RELAY_FORBIDDEN);
  });

  it.each([0, -1, 1001])('refuses a limit of %d with VALIDATION_FAILED', async (limit) => {
    const error = await expectDomainError(cleanup.expireOffers({ limit }), ErrorCode.VALIDATION_FAILED);
    expect(error.details).toEqual({ field: 'limit' });
  });
});

import { randomUUID } from 'node:crypto';
import { fromTimestamp, relayV1 } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import type { RowDataPacket } from 'mysql2/promise';
import { v7 as uuidv7 } from 'uuid';
import { expectDomainError, newUser, settle, startRelay, type RelayHarness } from './support/relay-harness.js';
import { ACCEPT, CANCEL, devicePair, offer, registerDevice, REJECT, Status } from './support/relay-scenario.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('transfers over gRPC (MariaDB, Redis)', () => {
  let relay: RelayHarness;

  beforeAll(async () => {
    relay = await startRelay();
  });

  afterAll(async () => {
    await relay?.close();
  });

  async function statusOf(transferId: string): Promise<string | undefined> {
    const [rows] = await relay.db.query<RowDataPacket[]>('SELECT status FROM transfers WHERE id = ?', [transferId]);
    return rows[0]?.['status'] as string | undefined;
  }

  async function setStatus(transferId: string, status: string): Promise<void> {
    await relay.db.query('UPDATE transfers SET status = ? WHERE id = ?', [status, transferId]);
  }

  /** Moves the offer's expiry into the past, as if its TTL had run out. */
  async function letExpire(transferId: string): Promise<void> {
    await relay.db.query('UPDATE transfers SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [
      transferId,
    ]);
  }

  describe('CreateTransfer', () => {
    it('offers files between two devices of the account: a pending transfer', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const transfer = await offer(client, laptop, phone, {
        files: [
          { name: 'holiday.jpg', sizeBytes: 3_000_000, mimeType: 'Image/JPEG' },
          { name: 'empty.txt', sizeBytes: 0, mimeType: '' },
          { name: 'big.iso', sizeBytes: 5_000_000_000, mimeType: 'application/x-iso9660-image' },
        ],
        mode: relayV1.TransferMode.TRANSFER_MODE_P2P,
      });
      expect(transfer).toEqual(
        expect.objectContaining({
          fromDeviceId: laptop.id,
          toDeviceId: phone.id,
          files: [
            { name: 'holiday.jpg', sizeBytes: 3_000_000, mimeType: 'image/jpeg' },
            { name: 'empty.txt', sizeBytes: 0, mimeType: 'application/octet-stream' },
            { name: 'big.iso', sizeBytes: 5_000_000_000, mimeType: 'application/x-iso9660-image' },
          ],
          mode: relayV1.TransferMode.TRANSFER_MODE_P2P,
          status: Status.TRANSFER_STATUS_PENDING,
          totalBytes: 5_003_000_000,
          deliveredBytes: 0,
        }),
      );
      expect(transfer.id).toMatch(UUID_V7);
      expect(transfer.failureCode).toBeUndefined();
      const createdAt = fromTimestamp(transfer.createdAt)!.getTime();
      expect(fromTimestamp(transfer.updatedAt)!.getTime()).toBe(createdAt);
      expect(fromTimestamp(transfer.expiresAt)!.getTime() - createdAt).toBe(600_000);
      expect((await client.getTransfer({ transferId: transfer.id })).transfer).toEqual(transfer);
    });

    it.each([
      ['no file', { files: [] }],
      ['101 files', { files: Array.from({ length: 101 }, () => ({ name: 'a', sizeBytes: 1, mimeType: '' })) }],
      ['an empty file name', { files: [{ name: '', sizeBytes: 1, mimeType: '' }] }],
      ['a file name of 256 characters', { files: [{ name: 'n'.repeat(256), sizeBytes: 1, mimeType: '' }] }],
      ['a negative size', { files: [{ name: 'a', sizeBytes: -5, mimeType: '' }] }],
      ['an unspecified mode', { mode: relayV1.TransferMode.TRANSFER_MODE_UNSPECIFIED }],
    ])('refuses %s with VALIDATION_FAILED', async (_, overrides) => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      await expectDomainError(offer(client, laptop, phone, overrides), ErrorCode.VALIDATION_FAILED);
      expect((await client.listTransfers({ page: undefined })).items).toEqual([]);
    });

    it('refuses a transfer from a device to itself', async () => {
      const client = relay.as(newUser());
      const [laptop] = await devicePair(client);
      const error = await expectDomainError(offer(client, laptop, laptop), ErrorCode.VALIDATION_FAILED);
      expect(error.details).toEqual({ field: 'toDeviceId' });
    });

    it('answers NOT_FOUND when either device is another account’s, deleted or unknown', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const foreign = await registerDevice(relay.as(newUser()));
      const deleted = await registerDevice(client, { name: 'gone' });
      await client.deleteDevice({ deviceId: deleted.id });
      const unknown = { ...laptop, id: uuidv7() };
      const malformed = { ...laptop, id: 'not-a-uuid' };

      for (const [from, to] of [
        [laptop, foreign],
        [foreign, phone],
        [laptop, deleted],
        [unknown, phone],
        [laptop, malformed],
      ] as const) {
        const error = await expectDomainError(offer(client, from, to), ErrorCode.NOT_FOUND);
        expect(error.message).toBe('Device not found');
      }
      expect((await client.listTransfers({ page: undefined })).items).toEqual([]);
    });
  });

  describe('ChangeTransferState', () => {
    it('accepts a pending offer, then cancels it', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const pending = await offer(client, laptop, phone);

      const { transfer: accepted } = await client.changeTransferState({ transferId: pending.id, action: ACCEPT });
      expect(accepted).toEqual({ ...pending, status: Status.TRANSFER_STATUS_ACCEPTED, updatedAt: accepted!.updatedAt });
      expect(fromTimestamp(accepted!.updatedAt)!.getTime()).toBeGreaterThanOrEqual(
        fromTimestamp(pending.updatedAt)!.getTime(),
      );
      expect(await statusOf(pending.id)).toBe('accepted');

      const { transfer: cancelled } = await client.changeTransferState({ transferId: pending.id, action: CANCEL });
      expect(cancelled!.status).toBe(Status.TRANSFER_STATUS_CANCELLED);
      expect(await statusOf(pending.id)).toBe('cancelled');
    });

    it('rejects a pending offer', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const pending = await offer(client, laptop, phone);
      const { transfer } = await client.changeTransferState({ transferId: pending.id, action: REJECT });
      expect(transfer!.status).toBe(Status.TRANSFER_STATUS_REJECTED);
      expect(await statusOf(pending.id)).toBe('rejected');
    });

    it.each([
      ['pending', 'cancel', CANCEL, 'cancelled'],
      ['accepted', 'cancel', CANCEL, 'cancelled'],
      ['streaming', 'cancel', CANCEL, 'cancelled'],
    ])('moves a %s transfer on %s to %s', async (from, _, action, to) => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const transfer = await offer(client, laptop, phone);
      await setStatus(transfer.id, from);
      await client.changeTransferState({ transferId: transfer.id, action });
      expect(await statusOf(transfer.id)).toBe(to);
    });

    it.each([
      ['accepted', 'accept', ACCEPT],
      ['accepted', 'reject', REJECT],
      ['streaming', 'accept', ACCEPT],
      ['streaming', 'reject', REJECT],
      ['completed', 'cancel', CANCEL],
      ['completed', 'accept', ACCEPT],
      ['rejected', 'accept', ACCEPT],
      ['rejected', 'cancel', CANCEL],
      ['cancelled', 'accept', ACCEPT],
      ['cancelled', 'cancel', CANCEL],
      ['failed', 'cancel', CANCEL],
      ['expired', 'accept', ACCEPT],
      ['expired', 'reject', REJECT],
    ])('answers TRANSFER_STATE_CONFLICT to a %s transfer on %s, changing nothing', async (from, _, action) => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const transfer = await offer(client, laptop, phone);
      await setStatus(transfer.id, from);
      const error = await expectDomainError(
        client.changeTransferState({ transferId: transfer.id, action }),
        ErrorCode.TRANSFER_STATE_CONFLICT,
      );
      expect(error.details).toEqual({ status: from });
      expect(await statusOf(transfer.id)).toBe(from);
    });

    it('refuses an unspecified action with VALIDATION_FAILED', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const transfer = await offer(client, laptop, phone);
      for (const action of [relayV1.TransferAction.TRANSFER_ACTION_UNSPECIFIED, 17]) {
        await expectDomainError(
          client.changeTransferState({ transferId: transfer.id, action }),
          ErrorCode.VALIDATION_FAILED,
        );
      }
      expect(await statusOf(transfer.id)).toBe('pending');
    });

    it('lets exactly one of 20 concurrent accepts of one offer win', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const transfer = await offer(client, laptop, phone);

      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => client.changeTransferState({ transferId: transfer.id, action: ACCEPT })),
      );
      const { fulfilled, errors } = settle(results);
      expect(fulfilled).toHaveLength(1);
      expect(fulfilled[0]!.transfer!.status).toBe(Status.TRANSFER_STATUS_ACCEPTED);
      expect(errors).toHaveLength(19);
      for (const error of errors) {
        expect(error).toMatchObject({ code: ErrorCode.TRANSFER_STATE_CONFLICT, details: { status: 'accepted' } });
      }
      expect(await statusOf(transfer.id)).toBe('accepted');
    });

    it('lets exactly one answer of concurrent accepts, rejects and cancels of one offer win', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const transfer = await offer(client, laptop, phone);
      const actions = Array.from({ length: 21 }, (_, i) => [ACCEPT, REJECT, CANCEL][i % 3]!);

      const results = await Promise.allSettled(
        actions.map((action) => client.changeTransferState({ transferId: transfer.id, action })),
      );
      const won = (action: relayV1.TransferAction) =>
        results.filter((result, i) => result.status === 'fulfilled' && actions[i] === action).length;
      const errors = settle(results).errors;
      for (const error of errors) expect(error).toMatchObject({ code: ErrorCode.TRANSFER_STATE_CONFLICT });
      const stored = await statusOf(transfer.id);

      // Out of pending exactly one move wins; only a cancel may follow a winning accept.
      expect(won(ACCEPT) + won(REJECT)).toBeLessThanOrEqual(1);
      if (won(REJECT) === 1) {
        expect([won(CANCEL), stored]).toEqual([0, 'rejected']);
      } else if (won(ACCEPT) === 1) {
        expect(won(CANCEL)).toBeLessThanOrEqual(1);
        expect(stored).toBe(won(CANCEL) === 1 ? 'cancelled' : 'accepted');
      } else {
        expect([won(CANCEL), stored]).toEqual([1, 'cancelled']);
      }
      expect(errors).toHaveLength(21 - won(ACCEPT) - won(REJECT) - won(CANCEL));
    });

    it('answers an offer past its expiry with TRANSFER_STATE_CONFLICT and records it expired', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const transfer = await offer(client, laptop, phone);
      await letExpire(transfer.id);

      // Seen as expired at once, before anything rewrote the row.
      expect((await client.getTransfer({ transferId: transfer.id })).transfer!.status).toBe(
        Status.TRANSFER_STATUS_EXPIRED,
      );
      expect(await statusOf(transfer.id)).toBe('pending');

      const error = await expectDomainError(
        client.changeTransferState({ transferId: transfer.id, action: ACCEPT }),
        ErrorCode.TRANSFER_STATE_CONFLICT,
      );
      expect(error.details).toEqual({ status: 'expired' });
      expect(await statusOf(transfer.id)).toBe('expired');

      // And stays so, whatever is asked next.
      for (const action of [ACCEPT, REJECT, CANCEL]) {
        const again = await expectDomainError(
          client.changeTransferState({ transferId: transfer.id, action }),
          ErrorCode.TRANSFER_STATE_CONFLICT,
        );
        expect(again.details).toEqual({ status: 'expired' });
      }
    });

    it('records an expired offer once when 20 accepts arrive after its expiry', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const transfer = await offer(client, laptop, phone);
      await letExpire(transfer.id);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => client.changeTransferState({ transferId: transfer.id, action: ACCEPT })),
      );
      const { fulfilled, errors } = settle(results);
      expect(fulfilled).toHaveLength(0);
      for (const error of errors) {
        expect(error).toMatchObject({ code: ErrorCode.TRANSFER_STATE_CONFLICT, details: { status: 'expired' } });
      }
      expect(await statusOf(transfer.id)).toBe('expired');
    });

    it('answers NOT_FOUND for another account’s transfer and for an unknown or malformed id', async () => {
      const owner = relay.as(newUser());
      const [laptop, phone] = await devicePair(owner);
      const transfer = await offer(owner, laptop, phone);
      const stranger = relay.as(newUser());

      for (const transferId of [transfer.id, uuidv7(), randomUUID(), 'nope', '']) {
        const onGet = await expectDomainError(stranger.getTransfer({ transferId }), ErrorCode.NOT_FOUND);
        const onChange = await expectDomainError(
          stranger.changeTransferState({ transferId, action: CANCEL }),
          ErrorCode.NOT_FOUND,
        );
        expect(onGet.message).toBe('Transfer not found');
        expect(onChange.message).toBe('Transfer not found');
      }
      expect((await stranger.listTransfers({ page: undefined })).items).toEqual([]);
      expect(await statusOf(transfer.id)).toBe('pending');
    });
  });

  describe('DeleteDevice', () => {
    it('cancels the open transfers of the device in the same transaction, and only those', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const tablet = await registerDevice(client, { name: 'Tablet' });
      const outgoingPending = await offer(client, laptop, phone);
      const incomingAccepted = await offer(client, phone, laptop);
      await client.changeTransferState({ transferId: incomingAccepted.id, action: ACCEPT });
      const streaming = await offer(client, laptop, tablet);
      await setStatus(streaming.id, 'streaming');
      const alreadyRejected = await offer(client, laptop, phone);
      await client.changeTransferState({ transferId: alreadyRejected.id, action: REJECT });
      const overdue = await offer(client, tablet, laptop);
      await letExpire(overdue.id);
      const unrelated = await offer(client, phone, tablet);

      await client.deleteDevice({ deviceId: laptop.id });

      expect(await statusOf(outgoingPending.id)).toBe('cancelled');
      expect(await statusOf(incomingAccepted.id)).toBe('cancelled');
      expect(await statusOf(streaming.id)).toBe('cancelled');
      expect(await statusOf(alreadyRejected.id)).toBe('rejected');
      // An offer already past its expiry ends as its account already saw it.
      expect(await statusOf(overdue.id)).toBe('expired');
      expect(await statusOf(unrelated.id)).toBe('pending');
      // The transfers stay, as history, with their last change recorded.
      const { transfer } = await client.getTransfer({ transferId: outgoingPending.id });
      expect(transfer!.status).toBe(Status.TRANSFER_STATUS_CANCELLED);
      expect(transfer!.fromDeviceId).toBe(laptop.id);
    });

    it('leaves no open transfer behind when offers race the deletion of their device', async () => {
      const client = relay.as(newUser());
      const [laptop, phone] = await devicePair(client);
      const offers = Array.from({ length: 10 }, () => offer(client, laptop, phone).catch((error: unknown) => error));
      await client.deleteDevice({ deviceId: laptop.id });
      await Promise.all(offers);
      const [rows] = await relay.db.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS open FROM transfers WHERE from_device_id = ? AND status IN ('pending', 'accepted', 'streaming')",
        [laptop.id],
      );
      expect(Number(rows[0]!['open'])).toBe(0);
    });
  });

  describe('ListTransfers', () => {
    it('pages the account’s transfers newest first with an opaque cursor', async () => {
      const user = newUser();
      const client = relay.as(user);
      const [laptop, phone] = await devicePair(client);
      const created: relayV1.Transfer[] = [];
      for (let i = 0; i < 7; i++) created.push(await offer(client, laptop, phone));
      // Four of them at the very same millisecond: ties are broken by id, never lost or repeated.
      await relay.db.query('UPDATE transfers SET created_at = ? WHERE id IN (?)', [
        new Date('2030-01-01T00:00:00.000Z'),
        created.slice(1, 5).map((transfer) => transfer.id),
      ]);
      // Another account's transfer never shows up.
      const other = relay.as(newUser());
      await offer(other, ...(await devicePair(other)));

      const [expected] = await relay.db.query<RowDataPacket[]>(
        'SELECT id FROM transfers WHERE owner_id = ? ORDER BY created_at DESC, id DESC',
        [user.ownerId],
      );
      const pages: string[][] = [];
      let cursor = '';
      do {
        const page = await client.listTransfers({ page: { limit: 3, cursor } });
        pages.push(page.items.map((transfer) => transfer.id));
        cursor = page.nextCursor;
        expect(cursor).not.toContain('2030');
      } while (cursor);

      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(expected.map((row) => row['id']));
      expect(new Set(pages.flat())).toEqual(new Set(created.map((transfer) => transfer.id)));
    });

    it('pages 50 by default and at most 200', async () => {
      const user = newUser();
      const client = relay.as(user);
      const [laptop, phone] = await devicePair(client);
      const template = await offer(client, laptop, phone);
      // 204 more rows of the same account, straight into the table.
      const rows = Array.from({ length: 204 }, (_, i) => [
        uuidv7(),
        user.ownerId,
        laptop.id,
        phone.id,
        JSON.stringify([{ name: `f${i}`, sizeBytes: 1, mimeType: 'text/plain' }]),
        new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)),
      ]);
      await relay.db.query(
        `INSERT INTO transfers (id, owner_id, from_device_id, to_device_id, mode, status, files, total_bytes,
           delivered_bytes, created_at, updated_at, expires_at)
         VALUES ${rows.map(() => "(?, ?, ?, ?, 'relay', 'pending', ?, 1, 0, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))").join(', ')}`,
        rows.flat(),
      );

      const byDefault = await client.listTransfers({ page: { limit: 0, cursor: '' } });
      expect(byDefault.items).toHaveLength(50);
      expect(byDefault.items[0]!.id).toBe(template.id);
      expect(byDefault.nextCursor).not.toBe('');
      const withoutPage = await client.listTransfers({ page: undefined });
      expect(withoutPage.items).toHaveLength(50);

      const capped = await client.listTransfers({ page: { limit: 10_000, cursor: '' } });
      expect(capped.items).toHaveLength(200);
      const rest = await client.listTransfers({ page: { limit: 10_000, cursor: capped.nextCursor } });
      expect(rest.items).toHaveLength(5);
      expect(rest.nextCursor).toBe('');
      // Rows inserted with an expiry already reached read as expired.
      expect(rest.items.every((transfer) => transfer.status === Status.TRANSFER_STATUS_EXPIRED)).toBe(true);
    });

    it('refuses a cursor it did not make, and a negative limit', async () => {
      const client = relay.as(newUser());
      for (const cursor of ['!!!', Buffer.from('2026-01-01T00:00:00.000Z|x').toString('base64url')]) {
        const error = await expectDomainError(
          client.listTransfers({ page: { limit: 10, cursor } }),
          ErrorCode.VALIDATION_FAILED,
        );
        expect(error.details).toEqual({ field: 'cursor' });
      }
      const error = await expectDomainError(
        client.listTransfers({ page: { limit: -1, cursor: '' } }),
        ErrorCode.VALIDATION_FAILED,
      );
      expect(error.details).toEqual({ field: 'limit' });
    });
  });
});

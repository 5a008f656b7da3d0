import { relayV1 } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import type { RowDataPacket } from 'mysql2/promise';
import {
  expectDomainError,
  freePort,
  newUser,
  serviceCaller,
  startRelay,
  type RelayHarness,
} from './support/relay-harness.js';
import { ACCEPT, CANCEL, devicePair, offer, REJECT, Status } from './support/relay-scenario.js';

// Stored transfers over gRPC on the real relay (MariaDB, Redis). The files service is not run
// here (the e2e suite covers CreateTransfer with real files): its address has nothing behind it,
// and stored offers are arranged as rows, as the relay records them.
const FILE_ID = '0190f4a2-0000-7000-8000-0000000000f1';

describe('stored transfers over gRPC', () => {
  let relay: RelayHarness;

  beforeAll(async () => {
    relay = await startRelay({ FILES_GRPC_ADDRESS: `127.0.0.1:${await freePort()}` });
  });

  afterAll(async () => {
    await relay?.close();
  });

  async function rowOf(transferId: string) {
    const [rows] = await relay.db.query<RowDataPacket[]>('SELECT mode, status FROM transfers WHERE id = ?', [
      transferId,
    ]);
    return rows[0];
  }

  /** A pending stored offer of one file, as CreateTransfer records it once the files service has answered. */
  async function storedOffer(client: ReturnType<RelayHarness['as']>, expiresInSeconds = 86_400) {
    const [laptop, phone] = await devicePair(client);
    const transfer = await offer(client, laptop, phone);
    const files = JSON.stringify([{ name: 'notes.txt', sizeBytes: 12, mimeType: 'text/plain', fileId: FILE_ID }]);
    await relay.db.query(
      "UPDATE transfers SET mode = 'stored', files = ?, expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = ?",
      [files, expiresInSeconds, transfer.id],
    );
    return transfer;
  }

  it('refuses a stored offer with SERVICE_UNAVAILABLE while the files service cannot answer, recording nothing', async () => {
    const client = relay.as(newUser());
    const [laptop, phone] = await devicePair(client);
    await expectDomainError(
      client.createTransfer({
        fromDeviceId: laptop.id,
        toDeviceId: phone.id,
        files: [],
        mode: relayV1.TransferMode.TRANSFER_MODE_STORED,
        fileIds: [FILE_ID],
      }),
      ErrorCode.SERVICE_UNAVAILABLE,
    );
    expect((await client.listTransfers({ page: undefined })).items).toEqual([]);
  });

  it('refuses a stored offer that declares files instead of naming them, before asking anyone', async () => {
    const client = relay.as(newUser());
    const [laptop, phone] = await devicePair(client);
    const error = await expectDomainError(
      client.createTransfer({
        fromDeviceId: laptop.id,
        toDeviceId: phone.id,
        files: [{ name: 'a.txt', sizeBytes: 1, mimeType: 'text/plain' }],
        mode: relayV1.TransferMode.TRANSFER_MODE_STORED,
        fileIds: [],
      }),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(error.details).toEqual({ field: 'files' });
  });

  it('completes a stored offer on accept, showing its file ids, and answers it no more', async () => {
    const client = relay.as(newUser());
    const transfer = await storedOffer(client);
    const { transfer: accepted } = await client.changeTransferState({ transferId: transfer.id, action: ACCEPT });
    expect(accepted).toMatchObject({
      status: Status.TRANSFER_STATUS_COMPLETED,
      mode: relayV1.TransferMode.TRANSFER_MODE_STORED,
      files: [{ name: 'notes.txt', sizeBytes: 12, mimeType: 'text/plain', fileId: FILE_ID }],
    });
    expect(await rowOf(transfer.id)).toEqual({ mode: 'stored', status: 'completed' });
    const again = await expectDomainError(
      client.changeTransferState({ transferId: transfer.id, action: CANCEL }),
      ErrorCode.TRANSFER_STATE_CONFLICT,
    );
    expect(again.details).toEqual({ status: 'completed' });
  });

  it('rejects and cancels a stored offer as any other', async () => {
    const client = relay.as(newUser());
    const rejected = await storedOffer(client);
    const cancelled = await storedOffer(client);
    expect((await client.changeTransferState({ transferId: rejected.id, action: REJECT })).transfer?.status).toBe(
      Status.TRANSFER_STATUS_REJECTED,
    );
    expect((await client.changeTransferState({ transferId: cancelled.id, action: CANCEL })).transfer?.status).toBe(
      Status.TRANSFER_STATUS_CANCELLED,
    );
  });

  it('still only accepts a relay offer: it waits for its bytes', async () => {
    const client = relay.as(newUser());
    const [laptop, phone] = await devicePair(client);
    const transfer = await offer(client, laptop, phone);
    const { transfer: accepted } = await client.changeTransferState({ transferId: transfer.id, action: ACCEPT });
    expect(accepted?.status).toBe(Status.TRANSFER_STATUS_ACCEPTED);
    expect(await rowOf(transfer.id)).toEqual({ mode: 'relay', status: 'accepted' });
  });

  it('expires a stored offer with its file: accepting it then is a conflict, and the tick records it', async () => {
    const client = relay.as(newUser());
    const transfer = await storedOffer(client, -1);
    const late = await expectDomainError(
      client.changeTransferState({ transferId: transfer.id, action: ACCEPT }),
      ErrorCode.TRANSFER_STATE_CONFLICT,
    );
    expect(late.details).toEqual({ status: 'expired' });
    expect(await rowOf(transfer.id)).toEqual({ mode: 'stored', status: 'expired' });

    const ticked = await storedOffer(client, -1);
    const cleanup = relay.maintenanceAs(serviceCaller('cleanup'));
    const expired: string[] = [];
    for (let round = 0; round < 20 && !expired.includes(ticked.id); round++) {
      const { transfers } = await cleanup.expireOffers({ limit: 1000 });
      if (transfers.length === 0) break;
      expired.push(...transfers.map((t) => t.id));
    }
    expect(expired).toContain(ticked.id);
    expect(await rowOf(ticked.id)).toEqual({ mode: 'stored', status: 'expired' });
  });
});

import { relayV1 } from '@lexy/contracts-grpc';
import { toTransfer, visibleState } from './transfer.mapper.js';
import type { TransferEntity } from './transfer.entity.js';

const createdAt = new Date('2026-11-25T10:00:00.000Z');
const expiresAt = new Date('2026-11-25T10:10:00.000Z');
const entity = (overrides: Partial<TransferEntity> = {}): TransferEntity => ({
  id: '0190f4a2-0000-7000-8000-00000000000c',
  ownerId: 'user-1',
  fromDeviceId: '0190f4a2-0000-7000-8000-00000000000a',
  toDeviceId: '0190f4a2-0000-7000-8000-00000000000b',
  mode: 'p2p',
  status: 'pending',
  files: [{ name: 'a.txt', sizeBytes: 3, mimeType: 'text/plain' }],
  totalBytes: 3,
  deliveredBytes: 0,
  failureCode: null,
  createdAt,
  updatedAt: createdAt,
  expiresAt,
  streamReplica: null,
  streamLeaseUntil: null,
  ...overrides,
});

describe('transfer mapper', () => {
  it('shows a pending offer as expired from its expiry on, and nothing else', () => {
    expect(visibleState(entity(), new Date(expiresAt.getTime() - 1))).toBe('pending');
    expect(visibleState(entity(), expiresAt)).toBe('expired');
    expect(visibleState(entity({ status: 'accepted' }), new Date(expiresAt.getTime() + 1))).toBe('accepted');
  });

  it('maps every field, leaving failureCode out when there is none', () => {
    const transfer = toTransfer(entity(), createdAt);
    expect(transfer).toEqual({
      id: '0190f4a2-0000-7000-8000-00000000000c',
      fromDeviceId: '0190f4a2-0000-7000-8000-00000000000a',
      toDeviceId: '0190f4a2-0000-7000-8000-00000000000b',
      files: [{ name: 'a.txt', sizeBytes: 3, mimeType: 'text/plain' }],
      mode: relayV1.TransferMode.TRANSFER_MODE_P2P,
      status: relayV1.TransferStatus.TRANSFER_STATUS_PENDING,
      totalBytes: 3,
      deliveredBytes: 0,
      createdAt: { seconds: createdAt.getTime() / 1000, nanos: 0 },
      updatedAt: { seconds: createdAt.getTime() / 1000, nanos: 0 },
      expiresAt: { seconds: expiresAt.getTime() / 1000, nanos: 0 },
    });
    expect('failureCode' in transfer).toBe(false);
    expect(toTransfer(entity({ status: 'failed', failureCode: 'PEER_GONE' }), createdAt).failureCode).toBe('PEER_GONE');
  });

  it('maps a stored transfer with the file id of each file', () => {
    const fileId = '0190f4a2-0000-7000-8000-0000000000f1';
    const transfer = toTransfer(
      entity({ mode: 'stored', files: [{ name: 'a.txt', sizeBytes: 3, mimeType: 'text/plain', fileId }] }),
      createdAt,
    );
    expect(transfer.mode).toBe(relayV1.TransferMode.TRANSFER_MODE_STORED);
    expect(transfer.files).toEqual([{ name: 'a.txt', sizeBytes: 3, mimeType: 'text/plain', fileId }]);
  });
});

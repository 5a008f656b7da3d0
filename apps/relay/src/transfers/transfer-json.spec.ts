import type { TransferEntity } from './transfer.entity.js';
import { toTransferJson } from './transfer-json.js';

const createdAt = new Date('2026-11-25T10:00:00.000Z');
const entity: TransferEntity = {
  id: '0190a000-0000-7000-8000-000000000009',
  ownerId: 'user-1',
  fromDeviceId: 'from',
  toDeviceId: 'to',
  mode: 'relay',
  status: 'pending',
  files: [{ name: 'a.txt', sizeBytes: 3, mimeType: 'text/plain' }],
  totalBytes: 3,
  deliveredBytes: 0,
  failureCode: null,
  createdAt,
  updatedAt: createdAt,
  expiresAt: new Date('2026-11-25T10:10:00.000Z'),
  streamReplica: null,
  streamLeaseUntil: null,
};

describe('toTransferJson', () => {
  it('has the shape of the REST transfer view', () => {
    expect(toTransferJson(entity, createdAt)).toEqual({
      id: entity.id,
      fromDeviceId: 'from',
      toDeviceId: 'to',
      files: [{ name: 'a.txt', size: 3, mimeType: 'text/plain', fileId: null }],
      mode: 'relay',
      status: 'pending',
      totalBytes: 3,
      deliveredBytes: 0,
      failureCode: null,
      createdAt: '2026-11-25T10:00:00.000Z',
      updatedAt: '2026-11-25T10:00:00.000Z',
      expiresAt: '2026-11-25T10:10:00.000Z',
    });
  });

  it('names the stored file of each file of a stored transfer', () => {
    const fileId = '0190a000-0000-7000-8000-0000000000f1';
    const stored: TransferEntity = { ...entity, mode: 'stored', files: [{ ...entity.files[0]!, fileId }] };
    const json = toTransferJson(stored, createdAt);
    expect(json.mode).toBe('stored');
    expect(json.files).toEqual([{ name: 'a.txt', size: 3, mimeType: 'text/plain', fileId }]);
  });

  it('shows an offer past its expiry as expired, as the REST view does', () => {
    expect(toTransferJson(entity, new Date('2026-11-25T11:00:00.000Z')).status).toBe('expired');
  });
});

import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { ServerEvent } from '../socket/socket-frames.js';
import { PendingOffers, type ReadySocket } from './pending-offers.js';
import type { TransferEntity } from './transfer.entity.js';
import type { TransfersRepository } from './transfers.repository.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const offer = (id: string, overrides: Partial<TransferEntity> = {}): TransferEntity => ({
  id,
  ownerId: 'user-1',
  fromDeviceId: '0190f4a2-0000-7000-8000-00000000000a',
  toDeviceId: '0190f4a2-0000-7000-8000-00000000000b',
  mode: 'relay',
  status: 'pending',
  files: [{ name: 'a.txt', sizeBytes: 3, mimeType: 'text/plain' }],
  totalBytes: 3,
  deliveredBytes: 0,
  failureCode: null,
  createdAt: new Date('2026-12-01T11:59:00.000Z'),
  updatedAt: new Date('2026-12-01T11:59:00.000Z'),
  expiresAt: new Date('2026-12-01T12:09:00.000Z'),
  streamReplica: null,
  streamLeaseUntil: null,
  ...overrides,
});

function socket(): ReadySocket & { sent: ServerEvent[] } {
  const sent: ServerEvent[] = [];
  return {
    device: { ownerId: 'user-1', deviceId: '0190f4a2-0000-7000-8000-00000000000b' },
    sent,
    send: (event) => sent.push(event),
  };
}

/** Lets the announcement, which runs on its own, finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PendingOffers', () => {
  let warn: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
  });

  it('sends the ready socket transfer.offered for each offer waiting for its device, in order', async () => {
    const stored = offer('0190f4a2-0000-7000-8000-0000000000c2', {
      mode: 'stored',
      files: [{ name: 'b.bin', sizeBytes: 9, mimeType: 'application/octet-stream', fileId: 'file-1' }],
      totalBytes: 9,
    });
    const pendingOffersTo = jest.fn(async () => [offer('0190f4a2-0000-7000-8000-0000000000c1'), stored]);
    const repository = { pendingOffersTo, now: async () => NOW } as unknown as TransfersRepository;
    const ready = socket();

    new PendingOffers(repository).announceTo(ready);
    await settle();

    expect(pendingOffersTo).toHaveBeenCalledWith('user-1', '0190f4a2-0000-7000-8000-00000000000b');
    expect(ready.sent.map((event) => event.type)).toEqual(['transfer.offered', 'transfer.offered']);
    const transfers = ready.sent.map((event) => ('transfer' in event ? event.transfer : null));
    expect(transfers.map((transfer) => transfer?.id)).toEqual([
      '0190f4a2-0000-7000-8000-0000000000c1',
      '0190f4a2-0000-7000-8000-0000000000c2',
    ]);
    expect(transfers[1]).toMatchObject({ mode: 'stored', status: 'pending', files: [{ fileId: 'file-1' }] });
  });

  it('sends nothing when no offer waits', async () => {
    const now = jest.fn(async () => NOW);
    const repository = { pendingOffersTo: async () => [], now } as unknown as TransfersRepository;
    const ready = socket();

    new PendingOffers(repository).announceTo(ready);
    await settle();

    expect(ready.sent).toEqual([]);
    expect(now).not.toHaveBeenCalled();
  });

  it('logs a database failure instead of throwing into the socket', async () => {
    const repository = {
      pendingOffersTo: async () => Promise.reject(new Error('connection lost')),
    } as unknown as TransfersRepository;
    const ready = socket();

    expect(() => new PendingOffers(repository).announceTo(ready)).not.toThrow();
    await settle();

    expect(ready.sent).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('connection lost'));
  });
});

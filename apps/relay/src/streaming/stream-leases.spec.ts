import { jest } from '@jest/globals';
import { ErrorCode } from '@lexy/server-errors';
import { Logger } from '@nestjs/common';
import type { RelayConfig } from '../config/relay.config.js';
import type { TransferEntity } from '../transfers/transfer.entity.js';
import type { TransfersRepository } from '../transfers/transfers.repository.js';
import { StreamLeases } from './stream-leases.js';
import type { TransferEndings } from './transfer-endings.js';

const SELF = 'ws://relay-a.internal:50056';
/** A lease of 3 s is renewed every second; every replica sweeps every 2 s. */
const config = { RELAY_STREAM_LEASE_SECONDS: 3, RELAY_PEER_URL: SELF } as RelayConfig;
const transfer = (id: string) => ({ id, ownerId: `owner-of-${id}` }) as TransferEntity;

function setUp(lapsed: TransferEntity[] = [], stillLapsed: (id: string) => boolean = () => true) {
  const repository = {
    renewStreamLeases: jest.fn<TransfersRepository['renewStreamLeases']>(async () => undefined),
    findLapsedStreams: jest.fn<TransfersRepository['findLapsedStreams']>(async () => lapsed),
    failLapsedStream: jest.fn<TransfersRepository['failLapsedStream']>(async (_owner, id) => stillLapsed(id)),
  };
  const endings = { announce: jest.fn<TransferEndings['announce']>(async () => undefined) };
  const leases = new StreamLeases(
    repository as unknown as TransfersRepository,
    endings as unknown as TransferEndings,
    config,
  );
  return { repository, endings, leases };
}

describe('StreamLeases', () => {
  let warn: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
    jest.useRealTimers();
  });

  describe('sweep', () => {
    it('fails and announces only the lapsed streams it moved, with PEER_GONE', async () => {
      const [first, claimed, third] = [transfer('t1'), transfer('t2'), transfer('t3')];
      // A resume claimed t2 between the lookup and the move.
      const { repository, endings, leases } = setUp([first!, claimed!, third!], (id) => id !== 't2');
      await leases.sweep();

      expect(repository.findLapsedStreams).toHaveBeenCalledWith(100);
      expect(repository.failLapsedStream.mock.calls).toEqual([
        ['owner-of-t1', 't1', ErrorCode.PEER_GONE],
        ['owner-of-t2', 't2', ErrorCode.PEER_GONE],
        ['owner-of-t3', 't3', ErrorCode.PEER_GONE],
      ]);
      expect(endings.announce.mock.calls).toEqual([
        [first, 'failed'],
        [third, 'failed'],
      ]);
      expect(warn).not.toHaveBeenCalled();
    });

    it('does nothing when no stream lapsed', async () => {
      const { repository, endings, leases } = setUp([]);
      await leases.sweep();
      expect(repository.failLapsedStream).not.toHaveBeenCalled();
      expect(endings.announce).not.toHaveBeenCalled();
    });

    it('logs a repository error instead of throwing it', async () => {
      const { repository, endings, leases } = setUp();
      repository.findLapsedStreams.mockRejectedValueOnce(new Error('connection lost'));
      await expect(leases.sweep()).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('connection lost'));

      repository.findLapsedStreams.mockResolvedValueOnce([transfer('t1')]);
      repository.failLapsedStream.mockRejectedValueOnce(new Error('deadlock'));
      await expect(leases.sweep()).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('deadlock'));
      expect(endings.announce).not.toHaveBeenCalled();
    });

    it('runs every two seconds once the module started, and stops with it', async () => {
      const { repository, leases } = setUp();
      leases.onModuleInit();
      await jest.advanceTimersByTimeAsync(1_999);
      expect(repository.findLapsedStreams).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(repository.findLapsedStreams).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(2_000);
      expect(repository.findLapsedStreams).toHaveBeenCalledTimes(2);

      leases.onModuleDestroy();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(repository.findLapsedStreams).toHaveBeenCalledTimes(2);
    });
  });

  describe('renewal', () => {
    it('renews the leases of the streams held, three times per lease, as this replica', async () => {
      const { repository, leases } = setUp();
      leases.onModuleInit();
      leases.hold('t1');
      leases.hold('t2');
      leases.hold('t3');
      leases.release('t2');

      await jest.advanceTimersByTimeAsync(999);
      expect(repository.renewStreamLeases).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(repository.renewStreamLeases).toHaveBeenCalledTimes(1);
      expect(repository.renewStreamLeases).toHaveBeenLastCalledWith(['t1', 't3'], SELF, 3);

      leases.release('t1');
      leases.hold('t4');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(repository.renewStreamLeases).toHaveBeenLastCalledWith(['t3', 't4'], SELF, 3);
      leases.onModuleDestroy();
    });

    it('holds a transfer once however often it is held, and renews no lease once all are released', async () => {
      const { repository, leases } = setUp();
      leases.onModuleInit();
      leases.hold('t1');
      leases.hold('t1');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(repository.renewStreamLeases).toHaveBeenLastCalledWith(['t1'], SELF, 3);

      leases.release('t1');
      leases.release('never-held');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(repository.renewStreamLeases).toHaveBeenLastCalledWith([], SELF, 3);
      leases.onModuleDestroy();
    });

    it('logs a failed renewal and renews again on the next round', async () => {
      const { repository, leases } = setUp();
      repository.renewStreamLeases.mockRejectedValueOnce(new Error('lock wait timeout'));
      leases.onModuleInit();
      leases.hold('t1');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('lock wait timeout'));

      await jest.advanceTimersByTimeAsync(1_000);
      expect(repository.renewStreamLeases).toHaveBeenCalledTimes(2);
      expect(repository.renewStreamLeases).toHaveBeenLastCalledWith(['t1'], SELF, 3);
      leases.onModuleDestroy();
    });
  });
});

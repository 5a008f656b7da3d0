import type { quotasV1 } from '@lexy/contracts-grpc';
import { createLogger } from '@lexy/server-logging';
import { fakeClient, MemoryStorage, testRun, type CallLog } from '../../test/support/fakes.js';
import type { FileLifecycle, StorageMaintenance } from '../dependencies.js';
import { ReconcileJob } from './reconcile.job.js';

const config = {
  CLEANUP_BATCH_SIZE: 2,
  CLEANUP_ORPHAN_GRACE_SECONDS: 86_400,
  CLEANUP_RESERVATION_GRACE_SECONDS: 3600,
};

function setup() {
  const calls: CallLog = [];
  const storage = new MemoryStorage(calls).put('files/orphan', 5, 48);
  const files = fakeClient<FileLifecycle>('files', calls, {
    listObjectRefs: async () => ({ refs: [] }),
    findUploads: async () => ({ uploadIds: [] }),
  });
  const released = [2, 2, 1];
  const pages: Record<string, quotasV1.RecomputeStorageResponse> = {
    '': { checked: 2, corrected: 1, nextAfterAccountId: 'acc-2' },
    'acc-2': { checked: 2, corrected: 0, nextAfterAccountId: 'acc-4' },
    'acc-4': { checked: 1, corrected: 1, nextAfterAccountId: '' },
  };
  const quotas = fakeClient<StorageMaintenance>('quotas', calls, {
    releaseExpiredReservations: async () => ({ released: released.shift() ?? 0 }),
    recomputeStorage: async ({ afterAccountId }: quotasV1.RecomputeStorageRequest) => pages[afterAccountId]!,
  });
  const job = new ReconcileJob(files, quotas, storage, config, createLogger('cleanup', 'silent'));
  return { calls, storage, files, quotas, job };
}

describe('ReconcileJob', () => {
  it('audits objects and tails, releases expired reservations until short, and recomputes every account', async () => {
    const { storage, quotas, job } = setup();
    const run = testRun();

    await job.run(run);

    expect(storage.keys()).toEqual([]);
    expect(quotas.requests['releaseExpiredReservations']).toEqual([
      { graceSeconds: 3600, limit: 2 },
      { graceSeconds: 3600, limit: 2 },
      { graceSeconds: 3600, limit: 2 },
    ]);
    expect(quotas.requests['recomputeStorage']).toEqual([
      { afterAccountId: '', limit: 2 },
      { afterAccountId: 'acc-2', limit: 2 },
      { afterAccountId: 'acc-4', limit: 2 },
    ]);
    expect(run.counts).toEqual({
      orphans_deleted: 1,
      orphan_bytes_deleted: 5,
      reservations_released: 5,
      accounts_checked: 5,
      accounts_corrected: 2,
    });
  });

  it('aborts multipart uploads begun longer ago than any upload session lives, plus the grace', async () => {
    const { storage, job } = setup();
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    storage.begun.push(
      { key: 'files/crashed', uploadId: 'u1', initiated: hoursAgo(49) }, // 24 h + 24 h grace + 1 h
      { key: 'files/in-flight', uploadId: 'u2', initiated: hoursAgo(47) },
    );
    const run = testRun();

    await job.run(run);

    expect(storage.begun.map((upload) => upload.key)).toEqual(['files/in-flight']);
    expect(run.counts).toMatchObject({ multipart_aborted: 1 });
  });

  it('runs the other steps when one fails, then fails the run naming it', async () => {
    const { calls, storage, job } = setup();
    storage.failing = 'listObjects';
    const run = testRun();

    await expect(job.run(run)).rejects.toThrow('reconcile step(s) failed: objects, tails');

    expect(calls).toContain('quotas.releaseExpiredReservations');
    expect(calls).toContain('quotas.recomputeStorage');
    expect(run.counts).toMatchObject({ reservations_released: 5, accounts_checked: 5 });
  });

  it('fails the account walk when the quotas service does not move on', async () => {
    const { quotas, job } = setup();
    // Every page answers the same next account: after the first page, the walk stands still.
    quotas.recomputeStorage = async () => ({ checked: 2, corrected: 0, nextAfterAccountId: 'acc-2' });
    await expect(job.run(testRun())).rejects.toThrow('reconcile step(s) failed: accounts');
  });

  it('stops between steps once the run is stopped', async () => {
    const { calls, job } = setup();
    const run = testRun();
    run.stop();
    await job.run(run);
    expect(calls).toEqual([]);
  });
});

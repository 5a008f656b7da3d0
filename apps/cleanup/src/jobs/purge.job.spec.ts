import type { filesV1, quotasV1 } from '@lexy/contracts-grpc';
import { fakeClient, MemoryStorage, testRun, type CallLog } from '../../test/support/fakes.js';
import type { FileLifecycle, StorageMaintenance } from '../dependencies.js';
import { MAX_BATCHES_PER_RUN } from './job-run.js';
import { PurgeJob } from './purge.job.js';

// Unpaced: the pacing itself is Pace's unit test.
const config = { CLEANUP_BATCH_SIZE: 2, CLEANUP_CLAIM_LEASE_SECONDS: 300, CLEANUP_PURGE_FILES_PER_SECOND: 0 };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const target = (n: number): filesV1.PurgeTarget => ({ fileId: id(n), objectKey: `files/${n}` });

/** A purge job whose claims answer `batches` in turn, then nothing. */
function setup(batches: filesV1.PurgeTarget[][]) {
  const calls: CallLog = [];
  const storage = new MemoryStorage(calls);
  for (const batch of batches) for (const file of batch) storage.put(file.objectKey, 10);
  const pending = [...batches];
  const files = fakeClient<FileLifecycle>('files', calls, {
    claimPurge: async () => ({ files: pending.shift() ?? [] }),
    finishPurge: async (request: filesV1.FinishPurgeRequest) => ({ deleted: request.fileIds.length }),
  });
  const quotas = fakeClient<StorageMaintenance>('quotas', calls, {
    releaseStoredFiles: async (request: quotasV1.ReleaseStoredFilesRequest) => ({
      released: request.fileIds.length,
      releasedBytes: 10 * request.fileIds.length,
    }),
  });
  return { calls, storage, files, quotas, job: new PurgeJob(files, quotas, storage, config) };
}

describe('PurgeJob', () => {
  it('deletes the objects, then releases the storage, then finishes, batch after batch until one is short', async () => {
    const { calls, storage, files, quotas, job } = setup([[target(1), target(2)], [target(3)]]);
    const run = testRun();

    await job.run(run);

    expect(calls).toEqual([
      'files.claimPurge',
      'storage.removeMany(files/1,files/2)',
      'quotas.releaseStoredFiles',
      'files.finishPurge',
      'files.claimPurge',
      'storage.removeMany(files/3)',
      'quotas.releaseStoredFiles',
      'files.finishPurge',
    ]);
    expect(files.requests['claimPurge']).toEqual([
      { limit: 2, leaseSeconds: 300, fileIds: [] },
      { limit: 2, leaseSeconds: 300, fileIds: [] },
    ]);
    expect(quotas.requests['releaseStoredFiles']).toEqual([{ fileIds: [id(1), id(2)] }, { fileIds: [id(3)] }]);
    expect(files.requests['finishPurge']).toEqual([{ fileIds: [id(1), id(2)] }, { fileIds: [id(3)] }]);
    expect(storage.keys()).toEqual([]);
    expect(run.counts).toEqual({ purged: 3, released_bytes: 30 });
  });

  it('asks once more after a full batch, and stops at an empty claim', async () => {
    const { calls, job } = setup([[target(1), target(2)]]);
    await job.run(testRun());
    expect(calls.filter((call) => call === 'files.claimPurge')).toHaveLength(2);
    expect(calls.at(-1)).toBe('files.claimPurge');
  });

  it('leaves the storage accounting and the rows alone when the objects could not be deleted', async () => {
    const { calls, storage, job } = setup([[target(1)]]);
    storage.failing = 'removeMany';

    await expect(job.run(testRun())).rejects.toThrow('storage removeMany failed');

    expect(calls).toEqual(['files.claimPurge', 'storage.removeMany(files/1)']);
  });

  it('leaves the rows when the storage could not be released: the next claim after the lease finishes them', async () => {
    const calls: CallLog = [];
    const files = fakeClient<FileLifecycle>('files', calls, {
      claimPurge: async () => ({ files: [target(1)] }),
      finishPurge: async () => ({ deleted: 1 }),
    });
    const quotas = fakeClient<StorageMaintenance>('quotas', calls, {
      releaseStoredFiles: async () => {
        throw new Error('quotas unavailable');
      },
    });
    const job = new PurgeJob(files, quotas, new MemoryStorage(calls), config);

    await expect(job.run(testRun())).rejects.toThrow('quotas unavailable');

    expect(calls).toEqual(['files.claimPurge', 'storage.removeMany(files/1)', 'quotas.releaseStoredFiles']);
  });

  it('purges queued owner deletions by id: each id once, in batches, only what the service claims', async () => {
    const { files, job, calls } = setup([[target(1), target(2)], [target(3)]]);
    const run = testRun();

    await job.purgeFiles(run, [id(1), id(2), id(1), id(3)]);

    expect(files.requests['claimPurge']).toEqual([
      { limit: 2, leaseSeconds: 300, fileIds: [id(1), id(2)] },
      { limit: 1, leaseSeconds: 300, fileIds: [id(3)] },
    ]);
    expect(calls.filter((call) => call === 'files.finishPurge')).toHaveLength(2);
    expect(run.counts).toEqual({ purged: 3, released_bytes: 30 });
  });

  it('does nothing more for ids the service no longer claims', async () => {
    const { calls, job } = setup([]);
    await job.purgeFiles(testRun(), [id(9)]);
    expect(calls).toEqual(['files.claimPurge']);
  });

  it('stops after the batch in hand when the run is stopped, and after MAX_BATCHES_PER_RUN full batches', async () => {
    const stopped = setup([
      [target(1), target(2)],
      [target(3), target(4)],
    ]);
    const run = testRun();
    const finish = stopped.files.finishPurge;
    stopped.files.finishPurge = async (request) => {
      run.stop();
      return finish(request);
    };
    await stopped.job.run(run);
    expect(stopped.calls.filter((call) => call === 'files.claimPurge')).toHaveLength(1);

    const endless = setup([]);
    let claims = 0;
    endless.files.claimPurge = async () => ({ files: [target(++claims), target(++claims)] });
    await endless.job.run(testRun());
    expect(claims / 2).toBe(MAX_BATCHES_PER_RUN);
  });
});

import type { filesV1, quotasV1 } from '@lexy/contracts-grpc';
import { fakeClient, MemoryStorage, testRun, type CallLog } from '../../test/support/fakes.js';
import type { FileLifecycle, StorageMaintenance } from '../dependencies.js';
import { AbandonJob } from './abandon.job.js';

const UPLOAD_A = '0190a0a0-0000-7000-8000-00000000000a';
const UPLOAD_B = '0190a0a0-0000-7000-8000-00000000000b';
const expiredA: filesV1.ExpiredUpload = { uploadId: UPLOAD_A, objectKey: 'files/a', reservationId: 'r-a' };
const expiredB: filesV1.ExpiredUpload = { uploadId: UPLOAD_B, objectKey: 'files/b', reservationId: '' };

function setup(batches: filesV1.ExpiredUpload[][], batchSize = 2) {
  const calls: CallLog = [];
  const storage = new MemoryStorage(calls)
    .put('files/a')
    .put(`uploads/${UPLOAD_A}/tail-0`)
    .put(`uploads/${UPLOAD_A}/tail-5242880`)
    .put(`uploads/${UPLOAD_B}-other/tail-0`)
    .put('files/other');
  storage.multipart.set('files/a', 2);
  storage.multipart.set('files/b', 1);
  const pending = [...batches];
  const files = fakeClient<FileLifecycle>('files', calls, {
    listExpiredUploads: async () => ({ uploads: pending.shift() ?? [] }),
    deleteUploads: async (request: filesV1.DeleteUploadsRequest) => ({ deleted: request.uploadIds.length }),
  });
  const quotas = fakeClient<StorageMaintenance>('quotas', calls, {
    releaseReservations: async (request: quotasV1.ReleaseReservationsRequest) => ({
      released: request.reservationIds.length,
    }),
  });
  const job = new AbandonJob(files, quotas, storage, { CLEANUP_BATCH_SIZE: batchSize });
  return { calls, storage, files, quotas, job };
}

describe('AbandonJob', () => {
  it('gives up multipart uploads, objects and tails, then reservations, then the sessions', async () => {
    const { calls, storage, files, quotas, job } = setup([[expiredA, expiredB]]);
    const run = testRun();

    await job.run(run);

    expect(storage.keys()).toEqual(['files/other', `uploads/${UPLOAD_B}-other/tail-0`]);
    expect(storage.multipart.size).toBe(0);
    // Only reservations that exist are released; every session goes.
    expect(quotas.requests['releaseReservations']).toEqual([{ reservationIds: ['r-a'] }]);
    expect(files.requests['deleteUploads']).toEqual([{ uploadIds: [UPLOAD_A, UPLOAD_B] }]);
    const storageDone = Math.max(...calls.map((call, i) => (call.startsWith('storage.') ? i : -1)));
    expect(calls.indexOf('quotas.releaseReservations')).toBeGreaterThan(storageDone);
    expect(calls.indexOf('files.deleteUploads')).toBeGreaterThan(calls.indexOf('quotas.releaseReservations'));
    expect(calls).toContain(`storage.removeMany(files/a,uploads/${UPLOAD_A}/tail-0,uploads/${UPLOAD_A}/tail-5242880)`);
    expect(run.counts).toEqual({ abandoned: 2, reservations_released: 1, multipart_aborted: 3 });
    // The batch was full, so the job asked again.
    expect(files.requests['listExpiredUploads']).toEqual([{ limit: 2 }, { limit: 2 }]);
  });

  it('keeps the reservations and the sessions when storage fails, for the next run to retry', async () => {
    const { calls, storage, job } = setup([[expiredA]]);
    storage.failing = 'abortUploadsOf';

    await expect(job.run(testRun())).rejects.toThrow('storage abortUploadsOf failed');

    expect(calls).not.toContain('quotas.releaseReservations');
    expect(calls).not.toContain('files.deleteUploads');
  });

  it('keeps the sessions when the reservations could not be released', async () => {
    const { calls, quotas, job } = setup([[expiredA]]);
    quotas.releaseReservations = async () => {
      throw new Error('quotas unavailable');
    };
    await expect(job.run(testRun())).rejects.toThrow('quotas unavailable');
    expect(calls).not.toContain('files.deleteUploads');
  });

  it('does nothing when no session expired', async () => {
    const { calls, job } = setup([]);
    await job.run(testRun());
    expect(calls).toEqual(['files.listExpiredUploads']);
  });
});

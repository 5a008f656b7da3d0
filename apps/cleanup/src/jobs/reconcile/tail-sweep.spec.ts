import type { filesV1 } from '@lexy/contracts-grpc';
import { createLogger } from '@lexy/server-logging';
import { fakeClient, MemoryStorage, testRun, type CallLog } from '../../../test/support/fakes.js';
import type { FileLifecycle } from '../../dependencies.js';
import { TailSweep } from './tail-sweep.js';

const LIVE = '0190a0a0-0000-7000-8000-000000000001';
const GONE = '0190a0a0-0000-7000-8000-000000000002';
const GONE_YOUNG = '0190a0a0-0000-7000-8000-000000000003';
const GONE_TOO = '0190a0a0-0000-7000-8000-000000000004';

function sweep(calls: CallLog, storage: MemoryStorage, liveIds: string[], batchSize = 10) {
  const files = fakeClient<FileLifecycle>('files', calls, {
    findUploads: async ({ uploadIds }: filesV1.FindUploadsRequest) => ({
      uploadIds: uploadIds.filter((id) => liveIds.includes(id)),
    }),
  });
  const tails = new TailSweep(
    files,
    storage,
    { batchSize, orphanGraceSeconds: 24 * 3600 },
    createLogger('x', 'silent'),
  );
  return { files, tails };
}

describe('TailSweep', () => {
  it('deletes old tails of sessions that are gone, and nothing of live or young ones', async () => {
    const calls: CallLog = [];
    const storage = new MemoryStorage(calls)
      .put(`uploads/${LIVE}/tail-0`, 1, 72)
      .put(`uploads/${GONE}/tail-0`, 1, 48)
      .put(`uploads/${GONE}/tail-5242880`, 1, 30)
      .put(`uploads/${GONE}/tail-10485760`, 1, 2)
      .put(`uploads/${GONE_YOUNG}/tail-0`, 1, 1)
      .put('uploads/not-an-upload/x', 1, 48)
      .put('uploads/stray', 1, 48)
      .put('files/kept', 1, 48);
    const run = testRun();
    const { files, tails } = sweep(calls, storage, [LIVE]);

    await tails.run(run, Date.now());

    expect(storage.keys()).toEqual([
      'files/kept',
      `uploads/${LIVE}/tail-0`,
      `uploads/${GONE}/tail-10485760`,
      `uploads/${GONE_YOUNG}/tail-0`,
    ]);
    // Only sessions with old tails are looked up.
    expect(files.requests['findUploads']).toEqual([{ uploadIds: [LIVE, GONE] }]);
    expect(run.counts).toEqual({ tails_deleted: 4 });
  });

  it('looks sessions up a batch of upload ids at a time', async () => {
    const calls: CallLog = [];
    const storage = new MemoryStorage(calls)
      .put(`uploads/${LIVE}/tail-0`)
      .put(`uploads/${GONE}/tail-0`)
      .put(`uploads/${GONE_TOO}/tail-0`);
    const { files, tails } = sweep(calls, storage, [LIVE], 2);

    await tails.run(testRun(), Date.now());

    expect(files.requests['findUploads']).toEqual([{ uploadIds: [LIVE, GONE] }, { uploadIds: [GONE_TOO] }]);
    expect(storage.keys()).toEqual([`uploads/${LIVE}/tail-0`]);
  });
});

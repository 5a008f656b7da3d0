import { fakeClient, testRun, type CallLog } from '../../test/support/fakes.js';
import type { FileLifecycle } from '../dependencies.js';
import { ExpireJob } from './expire.job.js';

describe('ExpireJob', () => {
  it('expires batch after batch until one comes back short', async () => {
    const calls: CallLog = [];
    const answers = [3, 3, 1];
    const files = fakeClient<FileLifecycle>('files', calls, {
      expireDue: async () => ({ expired: answers.shift() ?? 0 }),
    });
    const run = testRun();

    await new ExpireJob(files, { CLEANUP_BATCH_SIZE: 3 }).run(run);

    expect(files.requests['expireDue']).toEqual([{ limit: 3 }, { limit: 3 }, { limit: 3 }]);
    expect(run.counts).toEqual({ expired: 7 });
  });

  it('counts nothing when nothing is due', async () => {
    const files = fakeClient<FileLifecycle>('files', [], { expireDue: async () => ({ expired: 0 }) });
    const run = testRun();
    await new ExpireJob(files, { CLEANUP_BATCH_SIZE: 500 }).run(run);
    expect(run.counts).toEqual({});
  });
});

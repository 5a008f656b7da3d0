import { ensureBucketAtStart } from './ensure-bucket.js';

describe('ensureBucketAtStart', () => {
  it('retries until the object store answers', async () => {
    let calls = 0;
    const storage = {
      ensureBucket: async () => {
        calls += 1;
        if (calls < 3) throw new Error('connect ECONNREFUSED');
      },
    };
    await ensureBucketAtStart(storage, { attempts: 5, delayMs: 1 });
    expect(calls).toBe(3);
  });

  it('gives up with a message that names the problem', async () => {
    const storage = { ensureBucket: () => Promise.reject(new Error('AccessDenied')) };
    await expect(ensureBucketAtStart(storage, { attempts: 2, delayMs: 1 })).rejects.toThrow(
      'could not find or create the bucket (AccessDenied)',
    );
  });
});

import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { createQueue, createRedisConnection, createWorker } from '../src/index.js';

// Runs against the real Redis on 127.0.0.1:6379.
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('BullMQ over a real Redis', () => {
  it('runs a job once even when it is added twice with the same job id', async () => {
    const name = `test-${randomBytes(4).toString('hex')}`;
    const producer = createRedisConnection(redisUrl, 'producer');
    const consumer = createRedisConnection(redisUrl, 'worker');
    const queue = createQueue<{ fileId: string }>(name, producer);
    const seen: string[] = [];
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const worker = createWorker<{ fileId: string }>(
      name,
      async (job: Job<{ fileId: string }>) => {
        seen.push(job.data.fileId);
        finish();
      },
      consumer,
    );
    try {
      await queue.add('file.committed', { fileId: 'f1' }, { jobId: 'file-committed-f1' });
      await queue.add('file.committed', { fileId: 'f1' }, { jobId: 'file-committed-f1' });
      await done;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual(['f1']);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      producer.disconnect();
      consumer.disconnect();
    }
  });
});

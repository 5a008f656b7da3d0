import { Queue, Worker, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for BullMQ. Workers need `maxRetriesPerRequest: null` (blocking
 * commands must not time out); producers fail fast instead of queueing commands
 * while Redis is down, so a request never hangs on an unreachable Redis.
 */
export function createRedisConnection(url: string, role: 'producer' | 'worker', options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    lazyConnect: false,
    ...options,
  });
}

/** Job defaults: retried with backoff, and finished jobs trimmed so Redis stays bounded. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { count: 1_000 },
  removeOnFail: { count: 5_000 },
};

export function createQueue<T>(name: string, connection: Redis, prefix = 'lexy'): Queue<T> {
  return new Queue<T>(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
}

export function createWorker<T>(
  name: string,
  processor: Processor<T>,
  connection: Redis,
  options: Omit<WorkerOptions, 'connection'> = {},
  prefix = 'lexy',
): Worker<T> {
  return new Worker<T>(name, processor, { connection, prefix, concurrency: 4, ...options });
}

import {
  CLEANUP_QUEUE,
  createQueue,
  createRedisConnection,
  PURGE_FILES_JOB,
  purgeFileJobId,
  type PurgeFilesJobData,
} from '@lexy/server-queue';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { FILES_CONFIG, type FilesConfig } from '../config/files.config.js';

/**
 * How long a deletion waits for the queue. BullMQ waits for a connection that is not up yet
 * instead of failing, so without a bound a Redis outage would hold every deletion.
 */
const ENQUEUE_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Queues the purge of files their owners deleted on the cleanup worker's queue, so the
 * object and its storage go within seconds rather than at the next purge tick. Queuing is
 * only a shortcut: the row already says `purging`, and the purge tick claims such rows
 * anyway, so a job that cannot be queued is logged, never an error of the deletion.
 */
@Injectable()
export class PurgeQueue implements OnModuleDestroy {
  private readonly logger = new Logger('purge-queue');
  private readonly connection: Redis;
  private readonly queue: Queue<PurgeFilesJobData>;

  constructor(@Inject(FILES_CONFIG) config: FilesConfig) {
    this.connection = createRedisConnection(config.REDIS_URL, 'producer');
    this.queue = createQueue<PurgeFilesJobData>(CLEANUP_QUEUE, this.connection, config.QUEUE_PREFIX);
    // BullMQ re-emits connection errors here, and an 'error' nobody listens to would throw;
    // the failures that matter surface on add().
    this.queue.on('error', () => undefined);
  }

  /** One job per file (purgeFileJobId): deleting again, or a retried request, queues nothing new. */
  async requestPurge(fileId: string): Promise<void> {
    try {
      await within(
        this.queue.add(PURGE_FILES_JOB, { fileIds: [fileId] }, { jobId: purgeFileJobId(fileId) }),
        ENQUEUE_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.warn(`could not queue the purge of file ${fileId}; the purge tick will find it: ${String(error)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.connection.disconnect();
  }
}

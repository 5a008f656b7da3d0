import { CLEANUP_QUEUE, createQueue, createRedisConnection } from '@lexy/server-queue';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CLEANUP_CONFIG, type CleanupConfig } from '../config/cleanup.config.js';
import { CLEANUP_LOG, type Logger } from '../logging.js';
import { within } from '../within.js';

/** How long a health check or a scrape waits for Redis. */
const REDIS_ANSWER_MS = 2_000;

/** The states lexy_cleanup_queue_jobs reports. */
const REPORTED_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
] as const;

/**
 * The cleanup queue as a producer sees it (CLEANUP_QUEUE under QUEUE_PREFIX): it schedules
 * the ticks and answers the health check and the queue metrics. Its connection fails fast
 * (createRedisConnection 'producer'), so neither waits on a Redis that is down.
 */
@Injectable()
export class CleanupQueue implements OnApplicationShutdown {
  readonly queue: Queue;
  private readonly connection: Redis;

  constructor(@Inject(CLEANUP_CONFIG) config: CleanupConfig, @Inject(CLEANUP_LOG) log: Logger) {
    this.connection = createRedisConnection(config.REDIS_URL, 'producer');
    this.queue = createQueue(CLEANUP_QUEUE, this.connection, config.QUEUE_PREFIX);
    // BullMQ re-emits connection errors here; an 'error' nobody listens to would throw.
    this.queue.on('error', (error) => log.debug({ err: error }, 'cleanup queue connection error'));
  }

  /** True when Redis answers a PING in time. */
  async ping(): Promise<boolean> {
    try {
      return (await within(this.connection.ping(), REDIS_ANSWER_MS)) === 'PONG';
    } catch {
      return false;
    }
  }

  /** The queue's jobs by state, or null when Redis does not answer in time. */
  async jobCounts(): Promise<Record<string, number> | null> {
    try {
      return await within(this.queue.getJobCounts(...REPORTED_STATES), REDIS_ANSWER_MS);
    } catch {
      return null;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    // A connection handed to BullMQ is the caller's to close.
    this.connection.disconnect();
  }
}

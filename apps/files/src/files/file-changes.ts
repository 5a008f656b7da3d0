import { failFastRedisProviders, FILE_CHANGES_CHANNEL, FILE_REMOVED_CHANNEL } from '@lexy/server-redis';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { FILES_CONFIG, type FilesConfig } from '../config/files.config.js';

export const REDIS = Symbol('REDIS');

export const [redisProvider, RedisCloser] = failFastRedisProviders<FilesConfig>(
  REDIS,
  FILES_CONFIG,
  (config) => config.REDIS_URL,
);

/**
 * Announces changed files to the gateways, which answer repeated lookups of open codes from
 * memory (PICKUP_CACHE_SECONDS). Called after the change is committed. An announcement that
 * cannot be sent is logged, not thrown: the change itself has happened, a gateway forgets
 * everything it remembered whenever its own Redis subscription drops, and nothing is
 * remembered longer than PICKUP_CACHE_SECONDS in any case.
 */
@Injectable()
export class FileChanges {
  private readonly logger = new Logger('file-changes');

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async announce(fileId: string): Promise<void> {
    try {
      await this.redis.publish(FILE_CHANGES_CHANNEL, fileId);
    } catch (error) {
      this.logger.warn(`could not announce the change of file ${fileId}: ${String(error)}`);
    }
  }

  /**
   * Announces a deleted file: besides the change (cached lookups go), gateways cut the
   * downloads of it that are still streaming (FILE_REMOVED_CHANNEL).
   */
  async announceDeletion(fileId: string): Promise<void> {
    await this.publishAll(
      [
        [FILE_CHANGES_CHANNEL, fileId],
        [FILE_REMOVED_CHANNEL, fileId],
      ],
      `the deletion of file ${fileId}`,
    );
  }

  /** Announces a batch of changed files (a cleanup step) in one round trip. */
  async announceMany(fileIds: readonly string[]): Promise<void> {
    const [first, ...rest] = fileIds;
    if (first === undefined) return;
    if (rest.length === 0) return this.announce(first);
    await this.publishAll(
      fileIds.map((fileId) => [FILE_CHANGES_CHANNEL, fileId]),
      `the change of ${fileIds.length} files`,
    );
  }

  private async publishAll(messages: ReadonlyArray<readonly [string, string]>, what: string): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [channel, message] of messages) pipeline.publish(channel, message);
    try {
      // A pipeline reports the failure of each command in its results, not by rejecting.
      const failures = (await pipeline.exec())?.filter(([error]) => error) ?? [];
      if (failures.length > 0) throw failures[0]?.[0];
    } catch (error) {
      this.logger.warn(`could not announce ${what}: ${String(error)}`);
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { FileSchema, type FileEntity } from './file.entity.js';
import { PinAttemptSchema } from './pin-attempt.entity.js';
import { EMPTY_WINDOW, type PinCounters } from './pin-attempt-policy.js';

/** What a change of the counters decided: a result, and the counters to store (none: leave them). */
export interface CounterChange<T> {
  result: T;
  next?: PinCounters;
}

/**
 * The PIN failure counters, in lexy_files next to the file they guard rather than in
 * Redis: the files service has no Redis client, the lifetime count is state the owner
 * sees and resets (not a cache that may expire), and the rows go with their file
 * (ON DELETE CASCADE). Every change runs in one transaction that locks the file row and
 * then the (file, source) row, always in that order, so concurrent attempts on one code
 * are serialised without deadlocks and no attempt is lost or counted twice.
 */
@Injectable()
export class PinAttemptsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Applies `change` to the counters of (file, source) under lock; null when the file is gone. */
  change<T>(
    fileId: string,
    sourceHash: string,
    change: (counters: PinCounters, now: Date) => CounterChange<T>,
  ): Promise<T | null> {
    return this.dataSource.transaction(async (manager) => {
      const file = await manager
        .getRepository(FileSchema)
        .createQueryBuilder('file')
        .select([
          'file.id',
          'file.pinFailures',
          'file.pinWindowStartedAt',
          'file.pinLockedUntil',
          'file.pinFailuresTotal',
        ])
        .where('file.id = :fileId', { fileId })
        .setLock('pessimistic_write')
        .getOne();
      if (!file) return null;
      const attempts = manager.getRepository(PinAttemptSchema);
      // The file row is locked, so the file cannot vanish under this insert.
      await attempts.createQueryBuilder().insert().values({ fileId, sourceHash }).orIgnore().execute();
      const source = await attempts
        .createQueryBuilder('attempt')
        .where('attempt.file_id = :fileId AND attempt.source_hash = :sourceHash', { fileId, sourceHash })
        .setLock('pessimistic_write')
        .getOne();

      const counters: PinCounters = {
        source: source
          ? { failures: source.failures, windowStartedAt: source.windowStartedAt, lockedUntil: source.lockedUntil }
          : EMPTY_WINDOW,
        code: {
          failures: file.pinFailures,
          windowStartedAt: file.pinWindowStartedAt,
          lockedUntil: file.pinLockedUntil,
        },
        lifetimeFailures: file.pinFailuresTotal,
      };
      const { result, next } = change(counters, await databaseNow(manager));
      if (next) {
        await manager.getRepository(FileSchema).update({ id: fileId }, codeColumns(next));
        await attempts.update(
          { fileId, sourceHash },
          {
            failures: next.source.failures,
            windowStartedAt: next.source.windowStartedAt,
            lockedUntil: next.source.lockedUntil,
          },
        );
      }
      return result;
    });
  }
}

function codeColumns(counters: PinCounters): Partial<FileEntity> {
  return {
    pinFailures: counters.code.failures,
    pinWindowStartedAt: counters.code.windowStartedAt,
    pinLockedUntil: counters.code.lockedUntil,
    pinFailuresTotal: counters.lifetimeFailures,
  };
}

// The database clock, like every other time in lexy_files (UTC_TIMESTAMP: see FilesRepository).
async function databaseNow(manager: EntityManager): Promise<Date> {
  const rows: Array<{ now: Date }> = await manager.query('SELECT UTC_TIMESTAMP(3) AS now');
  const now = rows[0]?.now;
  if (!(now instanceof Date)) throw new Error('database returned no time');
  return now;
}

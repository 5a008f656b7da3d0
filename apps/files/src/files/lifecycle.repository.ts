import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { DB_NOW } from './db-clock.js';
import { FileSchema, type FileEntity, type FileRowStatus } from './file.entity.js';
import { UploadSchema, type UploadEntity } from './upload.entity.js';

/** A file a purge claim took. */
export interface ClaimedFile {
  id: string;
  objectKey: string;
  /** It was not purging before (an expiry, not an owner's deletion): its owner saw it until now. */
  newlyPurging: boolean;
}

export type ExpiredUploadRow = Pick<UploadEntity, 'id' | 'objectKey' | 'reservationId'>;

/** What holds an object key: a live (active or expired) file, a purging file, or an upload session. */
export type ObjectHolder = 'file' | 'purging' | 'upload';

export interface ObjectRefRow {
  objectKey: string;
  id: string;
  holder: ObjectHolder;
  /** The file's size; 0 for an upload. */
  sizeBytes: number;
}

export interface PurgeClaim {
  limit: number;
  leaseSeconds: number;
  /** Only these files (a queued owner deletion); every due file when absent. */
  fileIds?: string[];
}

interface LockedFile {
  id: string;
  objectKey: string;
  status: FileRowStatus;
}

// Expiries and claims lock the rows they take with FOR UPDATE SKIP LOCKED, so concurrent
// workers take disjoint rows, and a restore racing a claim either waits for it (then finds
// the file purging) or holds the row so the claim skips it. They run in READ COMMITTED: a
// locking scan there locks only the rows it returns, not the index gaps between them, so a
// commit inserting a new file never waits for a claim.
const LOCKING_ISOLATION = 'READ COMMITTED';

/**
 * The cleanup worker's queries on lexy_files (FileLifecycleService). Unlike FilesRepository
 * they span every owner; "due" is always decided by the database clock (LC-01).
 */
@Injectable()
export class LifecycleRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get files() {
    return this.dataSource.getRepository(FileSchema);
  }

  private get uploads() {
    return this.dataSource.getRepository(UploadSchema);
  }

  /** Marks up to `limit` active files past their retention as expired, oldest expiry first; returns their ids. */
  expireDue(limit: number): Promise<string[]> {
    return this.dataSource.transaction(LOCKING_ISOLATION, async (manager) => {
      const files = manager.getRepository(FileSchema);
      const due = await lockFiles(
        files
          .createQueryBuilder('file')
          .where("file.status = 'active'")
          .andWhere(`file.expires_at <= ${DB_NOW}`)
          .orderBy('file.expires_at', 'ASC'),
        limit,
      );
      const ids = due.map((file) => file.id);
      if (ids.length > 0) await files.update({ id: In(ids) }, { status: 'expired' });
      return ids;
    });
  }

  /**
   * Claims up to `limit` files for purging in one transaction: first owner deletions and
   * claims older than the lease (a worker that died), then active or expired files past
   * their redemption window. Each part is one range of its own index (status first), read
   * in index order: a sort would read, and so lock, every due row before the LIMIT applies,
   * leaving concurrent claims nothing to take. That order is oldest claim first for the
   * first part, and oldest purge_at first within each status for the second.
   */
  claimPurge({ limit, leaseSeconds, fileIds }: PurgeClaim): Promise<ClaimedFile[]> {
    return this.dataSource.transaction(LOCKING_ISOLATION, async (manager) => {
      const files = manager.getRepository(FileSchema);
      const due = (query: SelectQueryBuilder<FileEntity>, take: number) =>
        lockFiles(fileIds ? query.andWhere('file.id IN (:...fileIds)', { fileIds }) : query, take);

      const unclaimed = await due(
        files
          .createQueryBuilder('file')
          .where("file.status = 'purging'")
          .andWhere(
            `(file.purge_claimed_at IS NULL OR file.purge_claimed_at < ${DB_NOW} - INTERVAL :leaseSeconds SECOND)`,
            { leaseSeconds },
          ),
        limit,
      );
      const pastWindow =
        unclaimed.length < limit
          ? await due(
              files
                .createQueryBuilder('file')
                .where("file.status IN ('active', 'expired')")
                .andWhere(`file.purge_at <= ${DB_NOW}`),
              limit - unclaimed.length,
            )
          : [];

      const claimed = [...unclaimed, ...pastWindow];
      if (claimed.length > 0) {
        await files
          .createQueryBuilder()
          .update()
          .set({ status: 'purging', purgeClaimedAt: () => DB_NOW })
          .where({ id: In(claimed.map((file) => file.id)) })
          .execute();
      }
      return claimed.map(({ id, objectKey, status }) => ({ id, objectKey, newlyPurging: status !== 'purging' }));
    });
  }

  /** Deletes the rows of these files that are still purging (a restore cannot have revived them). */
  async finishPurge(fileIds: string[]): Promise<number> {
    if (fileIds.length === 0) return 0;
    const result = await this.files.delete({ id: In(fileIds), status: 'purging' });
    return result.affected ?? 0;
  }

  /** Up to `limit` upload sessions past their expiry, oldest expiry first. */
  listExpiredUploads(limit: number): Promise<ExpiredUploadRow[]> {
    // A locking read that skips locked rows: a commit that deleted its upload just before the
    // expiry but has not finished yet holds that row, and its object must not be given up.
    return this.dataSource.transaction(LOCKING_ISOLATION, (manager) =>
      manager
        .getRepository(UploadSchema)
        .createQueryBuilder('upload')
        .select(['upload.id', 'upload.objectKey', 'upload.reservationId'])
        .where(`upload.expires_at <= ${DB_NOW}`)
        .orderBy('upload.expires_at', 'ASC')
        .limit(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany(),
    );
  }

  /** Deletes those of these upload sessions that are past their expiry. */
  async deleteUploads(uploadIds: string[]): Promise<number> {
    if (uploadIds.length === 0) return 0;
    const result = await this.uploads
      .createQueryBuilder()
      .delete()
      .where({ id: In(uploadIds) })
      .andWhere(`expires_at <= ${DB_NOW}`)
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Up to `limit` object keys held by files or upload sessions, strictly after `afterKey`,
   * in key order. Both columns are ascii_bin, compared byte by byte: the order S3 lists keys
   * in (binary, by UTF-8 bytes), so the reconciler can walk both lists side by side. Keys
   * are server-made (`files/<ULID>`, printable ASCII without spaces), so the collation's
   * padding of trailing spaces never matters. A key is never held by a file and an upload
   * at once: a commit deletes the upload in the transaction that inserts the file.
   */
  async listObjectRefs(afterKey: string, limit: number): Promise<ObjectRefRow[]> {
    const rows: Array<{ objectKey: string; id: string; holder: ObjectHolder; sizeBytes: number | string }> =
      await this.dataSource.query(
        `(SELECT object_key AS objectKey, id, IF(status = 'purging', 'purging', 'file') AS holder,
                 size_bytes AS sizeBytes
            FROM files WHERE object_key > ? ORDER BY object_key LIMIT ?)
         UNION ALL
         (SELECT object_key AS objectKey, id, 'upload' AS holder, 0 AS sizeBytes
            FROM uploads WHERE object_key > ? ORDER BY object_key LIMIT ?)
         ORDER BY objectKey
         LIMIT ?`,
        [afterKey, limit, afterKey, limit, limit],
      );
    return rows.map((row) => ({ ...row, sizeBytes: Number(row.sizeBytes) }));
  }

  /** Those of these upload ids that still have a session. */
  async findUploads(uploadIds: string[]): Promise<string[]> {
    if (uploadIds.length === 0) return [];
    const found = await this.uploads.find({ select: { id: true }, where: { id: In(uploadIds) } });
    return found.map((upload) => upload.id);
  }

  /** Marks these files' objects missing, once; returns the ids marked by this call. */
  markObjectsMissing(fileIds: string[]): Promise<string[]> {
    if (fileIds.length === 0) return Promise.resolve([]);
    return this.dataSource.transaction(async (manager) => {
      const files = manager.getRepository(FileSchema);
      const unmarked = await files
        .createQueryBuilder('file')
        .select('file.id', 'id')
        .where({ id: In(fileIds) })
        .andWhere('file.object_missing_at IS NULL')
        .setLock('pessimistic_write')
        .getRawMany<{ id: string }>();
      const ids = unmarked.map((row) => row.id);
      if (ids.length > 0) {
        await files
          .createQueryBuilder()
          .update()
          .set({ objectMissingAt: () => DB_NOW })
          .where({ id: In(ids) })
          .execute();
      }
      return ids;
    });
  }
}

/** Up to `take` rows of `query`, locked for this transaction; rows another one holds are skipped. */
function lockFiles(query: SelectQueryBuilder<FileEntity>, take: number): Promise<LockedFile[]> {
  return query
    .select('file.id', 'id')
    .addSelect('file.object_key', 'objectKey')
    .addSelect('file.status', 'status')
    .limit(take)
    .setLock('pessimistic_write')
    .setOnLocked('skip_locked')
    .getRawMany<LockedFile>();
}

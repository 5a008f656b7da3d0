import { isDuplicateKeyError, type KeysetPosition } from '@lexy/server-database';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { BlockedContentSchema } from './blocked-content.entity.js';
import { DB_NOW } from './db-clock.js';
import { DELETED_ROW } from './file-deletion.js';
import { FileSchema, OWNER_VISIBLE_STATUSES, type FileEntity } from './file.entity.js';
import { countUpload } from './upload-ledger.js';
import { UploadSchema, type UploadEntity } from './upload.entity.js';

/** The unique index on code_hmac refused a new file's code: draw another one. */
export class DuplicatePickupCodeError extends Error {
  constructor() {
    super('pickup code already taken');
    this.name = 'DuplicatePickupCodeError';
  }
}

export type NewUpload = Omit<UploadEntity, 'createdAt' | 'expiresAt'>;

/** How FilesRepository.commitUpload ended. */
export type CommitOutcome = 'committed' | 'unavailable' | 'blocked';

/** Where a page of ListFiles ended. */
export type FilePosition = KeysetPosition;

/** How the restoring UPDATE sets the file's periods (seconds; null retention: never expires). */
export interface RestorePeriods {
  retentionSeconds: number | null;
  redemptionSeconds: number;
}

const ownerVisible = () => In([...OWNER_VISIBLE_STATUSES]);

/**
 * Makes an expired file active again with fresh periods from now, in one conditional
 * UPDATE: only while it is expired and inside its redemption window by the database
 * clock, and not claimed for purging. A purge claim takes the row under FOR UPDATE SKIP
 * LOCKED (LifecycleRepository.claimPurge) and moves it to purging, so of a restore and a
 * claim racing for one file exactly one wins. With `ownerId`, only that owner's file (an
 * owner's restore); without, any owner's (an administrator's). False when nothing was restored.
 */
export async function restoreFileRow(
  manager: EntityManager,
  fileId: string,
  periods: RestorePeriods,
  ownerId?: string,
): Promise<boolean> {
  const { retentionSeconds, redemptionSeconds } = periods;
  // UTC_TIMESTAMP is one instant within the statement, so purge_at follows expires_at exactly.
  const after = (seconds: number) => () => `${DB_NOW} + INTERVAL ${Math.trunc(seconds)} SECOND`;
  const update = manager
    .getRepository(FileSchema)
    .createQueryBuilder()
    .update()
    .set({
      status: 'active',
      expiresAt: retentionSeconds === null ? null : after(retentionSeconds),
      purgeAt: retentionSeconds === null ? null : after(retentionSeconds + redemptionSeconds),
      purgeClaimedAt: null,
    })
    .where('id = :fileId', { fileId });
  if (ownerId !== undefined) update.andWhere('owner_id = :ownerId', { ownerId });
  const result = await update
    .andWhere("status IN ('active', 'expired')")
    .andWhere(`expires_at IS NOT NULL AND expires_at <= ${DB_NOW}`)
    .andWhere(`purge_at > ${DB_NOW}`)
    .execute();
  return (result.affected ?? 0) > 0;
}

/** The only place that queries lexy_files. Every read of user data is scoped by owner id. */
@Injectable()
export class FilesRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get files() {
    return this.dataSource.getRepository(FileSchema);
  }

  private get uploads() {
    return this.dataSource.getRepository(UploadSchema);
  }

  /** The database's current UTC time, so retention is measured on the clock that enforces it. */
  async now(): Promise<Date> {
    const rows: Array<{ now: Date }> = await this.dataSource.query(`SELECT ${DB_NOW} AS now`);
    const now = rows[0]?.now;
    if (!(now instanceof Date)) throw new Error('database returned no time');
    return now;
  }

  async insertUpload(upload: NewUpload, ttlSeconds: number): Promise<void> {
    await this.uploads
      .createQueryBuilder()
      .insert()
      .values({
        ...upload,
        createdAt: () => DB_NOW,
        expiresAt: () => `${DB_NOW} + INTERVAL ${Math.trunc(ttlSeconds)} SECOND`,
      })
      .execute();
  }

  findUpload(ownerId: string, uploadId: string): Promise<UploadEntity | null> {
    return this.uploads.findOneBy({ id: uploadId, ownerId });
  }

  /** Removes an upload and returns it, or null when there was none of this owner's. */
  deleteUpload(ownerId: string, uploadId: string): Promise<UploadEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const upload = await manager
        .getRepository(UploadSchema)
        .findOne({ where: { id: uploadId, ownerId }, lock: { mode: 'pessimistic_write' } });
      if (!upload) return null;
      await manager.getRepository(UploadSchema).delete({ id: uploadId, ownerId });
      return upload;
    });
  }

  findFileByUploadId(ownerId: string, uploadId: string): Promise<FileEntity | null> {
    return this.files.findOneBy({ uploadId, ownerId });
  }

  /**
   * Turns an upload into a file in one transaction, counting it in the upload ledger: the
   * upload row is deleted first, so a concurrent commit of the same upload waits on its lock
   * and then finds it gone. `unavailable` when the upload no longer exists or is past its
   * expiry (the cleanup worker may be removing its bytes: it never becomes a file); `blocked`
   * when an administrator took the same bytes down: the upload is removed all the same, and
   * no file recorded. Throws DuplicatePickupCodeError when the code is taken (nothing is
   * changed then).
   */
  async commitUpload(ownerId: string, file: FileEntity): Promise<CommitOutcome> {
    try {
      return await this.dataSource.transaction(async (manager: EntityManager): Promise<CommitOutcome> => {
        const deleted = await manager
          .getRepository(UploadSchema)
          .createQueryBuilder()
          .delete()
          .where('id = :uploadId AND owner_id = :ownerId', { uploadId: file.uploadId, ownerId })
          .andWhere(`expires_at > ${DB_NOW}`)
          .execute();
        if (!deleted.affected) return 'unavailable';
        if (await manager.getRepository(BlockedContentSchema).existsBy({ sha256: file.sha256 })) return 'blocked';
        await manager.getRepository(FileSchema).insert(file);
        await countUpload(manager, file);
        return 'committed';
      });
    } catch (error) {
      if (isDuplicateKeyError(error) && String((error as Error).message).includes('UQ_files_code_hmac')) {
        throw new DuplicatePickupCodeError();
      }
      throw error;
    }
  }

  /**
   * The file a code points to, if it may be picked up right now. Every unusable case is
   * filtered in this one indexed query, so they all look the same to the caller (PC-05).
   * `pastDownloadLimit` finds it also when no download is left, for a request resuming
   * a download it already claimed (its ticket is checked by the caller).
   */
  findPickupable(codeHmac: string, { pastDownloadLimit = false } = {}): Promise<FileEntity | null> {
    const query = this.files
      .createQueryBuilder('file')
      .where('file.code_hmac = :codeHmac', { codeHmac })
      .andWhere("file.status = 'active'")
      .andWhere(`(file.expires_at IS NULL OR file.expires_at > ${DB_NOW})`)
      .andWhere('file.object_missing_at IS NULL');
    if (!pastDownloadLimit) query.andWhere('(file.download_limit IS NULL OR file.downloads < file.download_limit)');
    return query.getOne();
  }

  /** An owner's file as the owner sees it: a purging file is gone. */
  findFile(ownerId: string, fileId: string): Promise<FileEntity | null> {
    return this.files.findOneBy({ id: fileId, ownerId, status: ownerVisible() });
  }

  /** An owner's file in any state, purging included (to tell why it cannot be restored). */
  findFileInAnyState(ownerId: string, fileId: string): Promise<FileEntity | null> {
    return this.files.findOneBy({ id: fileId, ownerId });
  }

  /** One page of an owner's files, newest first, strictly after `after` in that order. */
  listFiles(ownerId: string, limit: number, after?: FilePosition): Promise<FileEntity[]> {
    const query = this.files
      .createQueryBuilder('file')
      .where('file.owner_id = :ownerId', { ownerId })
      .andWhere('file.status IN (:...visible)', { visible: OWNER_VISIBLE_STATUSES });
    if (after) {
      query.andWhere('(file.created_at < :createdAt OR (file.created_at = :createdAt AND file.id < :id))', after);
    }
    return query.orderBy('file.created_at', 'DESC').addOrderBy('file.id', 'DESC').limit(limit).getMany();
  }

  /**
   * An owner's deletion (DELETED_ROW). False when the owner has no such file, or it is
   * already being purged.
   */
  async markPurging(ownerId: string, fileId: string): Promise<boolean> {
    const result = await this.files.update({ id: fileId, ownerId, status: ownerVisible() }, DELETED_ROW);
    return (result.affected ?? 0) > 0;
  }

  /** The owner's restore (restoreFileRow, of this owner's file only). */
  restoreFile(ownerId: string, fileId: string, periods: RestorePeriods): Promise<boolean> {
    return restoreFileRow(this.dataSource.manager, fileId, periods, ownerId);
  }

  /** Ids of an owner's files that are still active and unexpired, oldest first. */
  async listLiveFileIds(ownerId: string): Promise<string[]> {
    const rows = await this.files
      .createQueryBuilder('file')
      .select('file.id', 'id')
      .where('file.owner_id = :ownerId', { ownerId })
      .andWhere("file.status = 'active'")
      .andWhere(`(file.expires_at IS NULL OR file.expires_at > ${DB_NOW})`)
      .orderBy('file.created_at', 'ASC')
      .addOrderBy('file.id', 'ASC')
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** Hands a file to another owner; false when `fromOwnerId` no longer owns it. */
  async changeOwner(fileId: string, fromOwnerId: string, toOwnerId: string): Promise<boolean> {
    const result = await this.files.update({ id: fileId, ownerId: fromOwnerId }, { ownerId: toOwnerId });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Counts one download if the file may still be downloaded: one conditional UPDATE, so
   * of any number of concurrent claims exactly as many win as downloads are left (the
   * row lock serialises them and each re-checks the condition). False: none left, or the
   * file is gone, expired, past its retention, being purged or without its object.
   */
  async claimDownload(fileId: string): Promise<boolean> {
    const result = await this.files
      .createQueryBuilder()
      .update()
      .set({ downloads: () => 'downloads + 1' })
      .where('id = :fileId', { fileId })
      .andWhere("status = 'active'")
      .andWhere(`(expires_at IS NULL OR expires_at > ${DB_NOW})`)
      .andWhere('object_missing_at IS NULL')
      .andWhere('(download_limit IS NULL OR downloads < download_limit)')
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Opens an owner's closed PIN path again: every per-code PIN counter back to zero. */
  async reopenPin(ownerId: string, fileId: string): Promise<FileEntity | null> {
    const result = await this.files.update(
      { id: fileId, ownerId, status: ownerVisible() },
      { pinFailures: 0, pinWindowStartedAt: null, pinLockedUntil: null, pinFailuresTotal: 0 },
    );
    return (result.affected ?? 0) > 0 ? this.findFile(ownerId, fileId) : null;
  }
}

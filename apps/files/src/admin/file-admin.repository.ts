import { appendAudit, listAudit, type AuditPage, type AuditRecord } from '@lexy/server-audit';
import { LIKE_ESCAPE, sortAfter, sortOrderBy } from '@lexy/server-database';
import { seriesDayNames } from '@lexy/server-grpc';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DB_NOW } from '../files/db-clock.js';
import { DELETED_ROW } from '../files/file-deletion.js';
import { FileSchema, OWNER_VISIBLE_STATUSES, type FileEntity } from '../files/file.entity.js';
import { restoreFileRow, type RestorePeriods } from '../files/files.repository.js';
import type { UploadDayEntity } from '../files/upload-day.entity.js';
import type { AdminFileQuery, StatusFilter } from './admin-file-query.js';

/** The lifecycle states as owners see them (file.mapper's ownerStatus), by the database clock. */
const STATUS_CONDITIONS: Record<StatusFilter, string> = {
  any: "file.status IN ('active', 'expired')",
  active: `(file.status = 'active' AND (file.expires_at IS NULL OR file.expires_at > ${DB_NOW}))`,
  expired: `(file.status = 'expired' OR (file.status = 'active' AND file.expires_at <= ${DB_NOW}))`,
};

/** An administrator's deletion of a file. */
export interface Takedown {
  actorId: string;
  /** Also block the file's bytes (its SHA-256) from being committed again. */
  block: boolean;
  /** The audit entry of the deletion, made from the file as it was. */
  audit(file: FileEntity): AuditRecord;
}

/** Files and bytes stored now, not counting files being deleted. */
export interface FileTotals {
  files: number;
  storageBytes: number;
}

/**
 * The admin console's queries of lexy_files: they span every owner, so they live apart from
 * FilesRepository, whose every read is scoped by owner. Each change commits with its audit entry.
 */
@Injectable()
export class FileAdminRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get files() {
    return this.dataSource.getRepository(FileSchema);
  }

  /** One page of AdminListFiles plus one row, which says whether another page exists. */
  listFiles(query: AdminFileQuery): Promise<FileEntity[]> {
    const { sort } = query;
    const select = this.files.createQueryBuilder('file').where(STATUS_CONDITIONS[query.status]);
    if (query.ownerId !== null) select.andWhere('file.owner_id = :ownerId', { ownerId: query.ownerId });
    if (query.namePattern !== null) {
      // The name's collation (utf8mb4_unicode_ci) makes the match case-insensitive.
      select.andWhere(`file.name LIKE :namePattern ESCAPE '${LIKE_ESCAPE}'`, { namePattern: query.namePattern });
      // A substring cannot use an index. Walking the sort index fetches every row it passes
      // one by one, which for a rare name is the whole table in random order; one sequential
      // scan then a sort of the matches is bounded instead (100k rows: ~0.25 s rather than
      // 1-2 s on the 2-core machine). An owner's files are few: its index stays the way in.
      if (query.ownerId === null) select.useIndex('PRIMARY');
    }
    if (query.after !== null) {
      const after = sortAfter(sort.key, 'file.id', sort.direction, query.after);
      select.andWhere(after.sql, after.parameters);
    }
    return select
      .orderBy(Object.fromEntries(sortOrderBy(sort.key, 'file.id', sort.direction)))
      .limit(query.limit + 1)
      .getMany();
  }

  /** A file of any owner in any state, purging included. */
  findFile(fileId: string): Promise<FileEntity | null> {
    return this.files.findOneBy({ id: fileId });
  }

  /**
   * Deletes a file of any owner as its owner's deletion does (DELETED_ROW), with its audit
   * entry and, for a block, its blocklist entry, in one transaction. Returns the file as it
   * was; null when there is no such file or it is already being deleted.
   */
  deleteFile(fileId: string, takedown: Takedown): Promise<FileEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const files = manager.getRepository(FileSchema);
      const file = await files.findOne({
        where: { id: fileId, status: In([...OWNER_VISIBLE_STATUSES]) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!file) return null;
      await files.update({ id: fileId }, DELETED_ROW);
      if (takedown.block) await blockContent(manager, file, takedown.actorId);
      await appendAudit(manager, takedown.audit(file));
      return file;
    });
  }

  /**
   * Restores a file of any owner as its owner's restore does (restoreFileRow), with its audit
   * entry made from the file before and after, in one transaction. Null when nothing was
   * restored (the file is not restorable, or a purge claim took it first).
   */
  restoreFile(
    fileId: string,
    periods: RestorePeriods,
    audit: (before: FileEntity, after: FileEntity) => AuditRecord,
  ): Promise<FileEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const files = manager.getRepository(FileSchema);
      const before = await files.findOne({ where: { id: fileId }, lock: { mode: 'pessimistic_write' } });
      if (!before || !(await restoreFileRow(manager, fileId, periods))) return null;
      const after = await files.findOneByOrFail({ id: fileId });
      await appendAudit(manager, audit(before, after));
      return after;
    });
  }

  async fileTotals(): Promise<FileTotals> {
    const rows: Array<{ files: unknown; storageBytes: unknown }> = await this.dataSource.query(
      `SELECT COUNT(*) AS files, COALESCE(SUM(size_bytes), 0) AS storageBytes
         FROM files WHERE status IN ('active', 'expired')`,
    );
    // SUM is a DECIMAL, which the driver hands over as a string.
    return { files: Number(rows[0]?.files ?? 0), storageBytes: Number(rows[0]?.storageBytes ?? 0) };
  }

  /** Today's UTC day by the database clock, and the ledger rows of the `days` days up to it. */
  /** The ledger's rows of the `days` UTC days ending today by the database's clock, and those days' names. */
  async uploadDays(days: number): Promise<{ dayNames: string[]; rows: UploadDayEntity[] }> {
    const [clock]: Array<{ today: string }> = await this.dataSource.query(
      "SELECT DATE_FORMAT(UTC_DATE(), '%Y-%m-%d') AS today",
    );
    if (!clock) throw new Error('database returned no date');
    const dayNames = seriesDayNames(days, Date.parse(`${clock.today}T00:00:00.000Z`));
    // Days as text, so no time zone of the driver can shift them.
    const rows: Array<{ day: string; uploads: unknown; uploadBytes: unknown }> = await this.dataSource.query(
      `SELECT DATE_FORMAT(day, '%Y-%m-%d') AS day, uploads, upload_bytes AS uploadBytes
         FROM upload_days WHERE day BETWEEN ? AND ?`,
      [dayNames[0], clock.today],
    );
    return {
      dayNames,
      rows: rows.map((row) => ({ day: row.day, uploads: Number(row.uploads), uploadBytes: Number(row.uploadBytes) })),
    };
  }

  listAudit(limit: number, cursor: string): Promise<AuditPage> {
    return listAudit(this.dataSource.manager, limit, cursor);
  }
}

/** Adds a file's bytes to the blocklist; blocking them again keeps the first entry. */
async function blockContent(manager: EntityManager, file: FileEntity, actorId: string): Promise<void> {
  await manager.query(
    `INSERT INTO blocked_content (sha256, blocked_at, file_id, actor_id) VALUES (?, ${DB_NOW}, ?, ?)
       ON DUPLICATE KEY UPDATE sha256 = sha256`,
    [file.sha256, file.id, actorId],
  );
}

import { filesV1 } from '@lexy/contracts-grpc';
import { toAuditEntry } from '@lexy/server-audit';
import { encodeSortCursor } from '@lexy/server-database';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { dailySeries, MAX_ADMIN_PAGE_SIZE, pageLimit, seriesDays, type Caller } from '@lexy/server-grpc';
import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '../files/clock.js';
import { FileChanges } from '../files/file-changes.js';
import { followDeletion } from '../files/file-deletion.js';
import type { FileEntity } from '../files/file.entity.js';
import { parseId } from '../files/file-id.js';
import { ownerStatus, toAdminFile } from '../files/file.mapper.js';
import { REDEMPTION_SECONDS, restoreStanding, unrestoredFile, type RestoreStanding } from '../files/file-restore.js';
import { CLOCK, QUOTAS_CLIENT, type QuotasClient } from '../files/files.dependencies.js';
import { FilesRepository } from '../files/files.repository.js';
import { PurgeQueue } from '../files/purge-queue.js';
import { parseAdminFileQuery } from './admin-file-query.js';
import { FileAdminRepository } from './file-admin.repository.js';
import { OwnerGroups } from './owner-groups.js';

/** Longest reason of a deletion kept in its audit entry (docs/api.md § Admin). */
export const MAX_REASON_LENGTH = 500;

/** A file's state as its owner (and the admin list) shows it. */
function statusName(file: FileEntity, now: Date): 'active' | 'expired' {
  return ownerStatus(file, now) === filesV1.FileStatus.FILE_STATUS_ACTIVE ? 'active' : 'expired';
}

/** The fields of a file a restore changes, for its audit entry. */
function lifecycleOf(file: FileEntity, now: Date) {
  return { status: statusName(file, now), expiresAt: file.expiresAt, purgeAt: file.purgeAt };
}

const fileTarget = (fileId: string) => `file:${fileId}`;

/**
 * FileAdminService (files.proto): the admin console's view of every owner's files. Deleting
 * and restoring take the owner's own code paths, for any owner, and write their audit entry in
 * the same transaction. The controller has checked that the caller is an administrator.
 */
@Injectable()
export class FileAdminService {
  constructor(
    private readonly repository: FileAdminRepository,
    private readonly files: FilesRepository,
    private readonly ownerGroups: OwnerGroups,
    @Inject(QUOTAS_CLIENT) private readonly quotas: QuotasClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly changes: FileChanges,
    private readonly purgeQueue: PurgeQueue,
  ) {}

  async listFiles(request: filesV1.AdminListFilesRequest): Promise<filesV1.AdminListFilesResponse> {
    const query = parseAdminFileQuery(request);
    const rows = await this.repository.listFiles(query);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const now = this.clock.now();
    return {
      items: page.map((file) => toAdminFile(file, now)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeSortCursor(query.sort.scope, { value: query.sort.valueOf(last), id: last.id })
          : '',
    };
  }

  /** As the owner's DeleteFile (followDeletion after the same row change), for any owner's file. */
  async deleteFile(admin: Caller, request: filesV1.AdminDeleteFileRequest): Promise<filesV1.AdminDeleteFileResponse> {
    const { block, reason } = request;
    if ([...reason].length > MAX_REASON_LENGTH) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `The reason must be at most ${MAX_REASON_LENGTH} characters`, {
        field: 'reason',
      });
    }
    const fileId = parseId(request.fileId);
    const now = this.clock.now();
    const file =
      fileId &&
      (await this.repository.deleteFile(fileId, {
        actorId: admin.ownerId,
        block,
        audit: (was) => ({
          actorId: admin.ownerId,
          action: 'file.delete',
          target: fileTarget(was.id),
          before: {
            name: was.name,
            ownerId: was.ownerId,
            sizeBytes: was.sizeBytes,
            sha256: was.sha256,
            status: statusName(was, now),
          },
          details: { block, reason },
        }),
      }));
    if (!file) throw new DomainError(ErrorCode.NOT_FOUND, 'File not found');
    await followDeletion(file.id, this.changes, this.purgeQueue);
    return { file: toAdminFile(file, now) };
  }

  /**
   * As the owner's RestoreFile, for any owner's file, with the retention of the owner's current
   * group. The owner's storage limit is not checked: a restore adds no bytes (an expired file's
   * still count until it is purged), so the check only guards the owner's own choice, and an
   * administrator's restore is deliberate.
   */
  async restoreFile(
    admin: Caller,
    request: filesV1.AdminRestoreFileRequest,
  ): Promise<filesV1.AdminRestoreFileResponse> {
    const fileId = parseId(request.fileId);
    if (!fileId) throw new DomainError(ErrorCode.NOT_FOUND, 'File not found');
    // Answers that need neither the owner's group nor an UPDATE first.
    const before = await this.repository.findFile(fileId);
    const standing = restoreStanding(before, await this.files.now());
    if (!before || standing !== 'restorable') return this.unrestored(before, standing);

    const { limits } = await this.quotas.getGroupLimits({ group: await this.ownerGroups.groupOf(before.ownerId) });
    const periods = { retentionSeconds: limits?.retentionSeconds ?? null, redemptionSeconds: REDEMPTION_SECONDS };
    const now = this.clock.now();
    const restored = await this.repository.restoreFile(fileId, periods, (was, is) => ({
      actorId: admin.ownerId,
      action: 'file.restore',
      target: fileTarget(fileId),
      before: lifecycleOf(was, now),
      after: lifecycleOf(is, now),
    }));
    if (restored) {
      await this.changes.announce(fileId);
      return { file: toAdminFile(restored, now) };
    }
    // A purge claim or another restore changed the row since it was read: answer from it now.
    const after = await this.repository.findFile(fileId);
    return this.unrestored(after, restoreStanding(after, await this.files.now()));
  }

  async getFileStats(request: filesV1.GetFileStatsRequest): Promise<filesV1.GetFileStatsResponse> {
    const days = seriesDays(request.days);
    const [totals, ledger] = await Promise.all([this.repository.fileTotals(), this.repository.uploadDays(days)]);
    const figures = new Map(ledger.rows.map((row) => [row.day, { count: row.uploads, bytes: row.uploadBytes }]));
    return { ...totals, uploads: dailySeries(ledger.dayNames, figures) };
  }

  async listAudit(request: filesV1.ListAuditRequest): Promise<filesV1.ListAuditResponse> {
    const limit = pageLimit(request.page?.limit, MAX_ADMIN_PAGE_SIZE);
    const page = await this.repository.listAudit(limit, request.page?.cursor ?? '');
    return { items: page.items.map(toAuditEntry), nextCursor: page.nextCursor };
  }

  private unrestored(file: FileEntity | null, standing: RestoreStanding): filesV1.AdminRestoreFileResponse {
    return { file: toAdminFile(unrestoredFile(file, standing), this.clock.now()) };
  }
}

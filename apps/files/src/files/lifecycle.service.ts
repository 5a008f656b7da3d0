import { filesV1 } from '@lexy/contracts-grpc';
import { Injectable, Logger } from '@nestjs/common';
import { FileChanges } from './file-changes.js';
import { requireAfterKey, requireBatchLimit, requireIds, requireLeaseSeconds } from './lifecycle-request.js';
import { LifecycleRepository, type ObjectHolder } from './lifecycle.repository.js';

const REF_KIND: Record<ObjectHolder, filesV1.ObjectRefKind> = {
  file: filesV1.ObjectRefKind.OBJECT_REF_KIND_FILE,
  purging: filesV1.ObjectRefKind.OBJECT_REF_KIND_PURGING,
  upload: filesV1.ObjectRefKind.OBJECT_REF_KIND_UPLOAD,
};

/**
 * FileLifecycleService (files.proto) for the cleanup worker: every call is idempotent and
 * bounded (MAX_LIFECYCLE_BATCH). Changes that make a code stop resolving are announced to
 * the gateways' pickup caches after they are committed.
 */
@Injectable()
export class LifecycleService {
  private readonly logger = new Logger(LifecycleService.name);

  constructor(
    private readonly repository: LifecycleRepository,
    private readonly changes: FileChanges,
  ) {}

  async expireDue(request: filesV1.ExpireDueRequest): Promise<filesV1.ExpireDueResponse> {
    const expired = await this.repository.expireDue(requireBatchLimit(request.limit));
    await this.changes.announceMany(expired);
    return { expired: expired.length };
  }

  async claimPurge(request: filesV1.ClaimPurgeRequest): Promise<filesV1.ClaimPurgeResponse> {
    const limit = requireBatchLimit(request.limit);
    const leaseSeconds = requireLeaseSeconds(request.leaseSeconds);
    const fileIds = requireIds(request.fileIds, 'fileIds');
    const claimed = await this.repository.claimPurge({
      limit,
      leaseSeconds,
      ...(fileIds.length > 0 ? { fileIds } : {}),
    });
    // A file that was already purging had stopped resolving (and been announced) before.
    await this.changes.announceMany(claimed.filter((file) => file.newlyPurging).map((file) => file.id));
    return { files: claimed.map(({ id, objectKey }) => ({ fileId: id, objectKey })) };
  }

  async finishPurge(request: filesV1.FinishPurgeRequest): Promise<filesV1.FinishPurgeResponse> {
    return { deleted: await this.repository.finishPurge(requireIds(request.fileIds, 'fileIds')) };
  }

  async listExpiredUploads(request: filesV1.ListExpiredUploadsRequest): Promise<filesV1.ListExpiredUploadsResponse> {
    const uploads = await this.repository.listExpiredUploads(requireBatchLimit(request.limit));
    return {
      uploads: uploads.map(({ id, objectKey, reservationId }) => ({ uploadId: id, objectKey, reservationId })),
    };
  }

  async deleteUploads(request: filesV1.DeleteUploadsRequest): Promise<filesV1.DeleteUploadsResponse> {
    return { deleted: await this.repository.deleteUploads(requireIds(request.uploadIds, 'uploadIds')) };
  }

  async listObjectRefs(request: filesV1.ListObjectRefsRequest): Promise<filesV1.ListObjectRefsResponse> {
    const refs = await this.repository.listObjectRefs(
      requireAfterKey(request.afterKey),
      requireBatchLimit(request.limit),
    );
    return {
      refs: refs.map(({ objectKey, id, holder, sizeBytes }) => ({ objectKey, id, kind: REF_KIND[holder], sizeBytes })),
    };
  }

  async findUploads(request: filesV1.FindUploadsRequest): Promise<filesV1.FindUploadsResponse> {
    return { uploadIds: await this.repository.findUploads(requireIds(request.uploadIds, 'uploadIds')) };
  }

  async markObjectsMissing(request: filesV1.MarkObjectsMissingRequest): Promise<filesV1.MarkObjectsMissingResponse> {
    const marked = await this.repository.markObjectsMissing(requireIds(request.fileIds, 'fileIds'));
    // Storage lost bytes it had acknowledged: worth an operator's look, file by file.
    for (const fileId of marked) this.logger.warn(`file ${fileId} has lost its object; it no longer resolves`);
    await this.changes.announceMany(marked);
    return { marked: marked.length };
  }
}

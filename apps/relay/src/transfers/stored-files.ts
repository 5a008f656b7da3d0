import { filesV1, fromTimestamp } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import { FILES_CLIENT, type FilesClient } from '../grpc/grpc-clients.js';
import type { TransferFileEntity } from './transfer.entity.js';
import { cleanMimeType, storedFileNotFound, type StoredOfferRequest, type TransferOffer } from './transfer-offer.js';

/**
 * The expiry of a stored offer whose files are all kept forever (a group without retention):
 * the last instant a DATETIME holds, so "pending until answered" needs no special case in the
 * expiry tick, the mapper or the state machine's expiry conditions.
 */
export const NEVER_EXPIRES = new Date('9999-12-31T23:59:59.000Z');

/** A stored offer as it is recorded: its files as the files service describes them, and its own expiry. */
export interface ResolvedStoredOffer {
  offer: TransferOffer;
  /** The first of its files' ends of retention: past it, a file can no longer be downloaded. */
  expiresAt: Date;
}

function storedFileExpired(index: number): DomainError {
  return new DomainError(ErrorCode.FILE_EXPIRED, 'The file has expired', { field: 'fileIds', index });
}

/**
 * Turns the file ids of a stored offer into its files: each must be an active file of the
 * caller (the files service's GetFile answers for the caller of the current call only, so a
 * foreign id is NOT_FOUND like an unknown one). Name, size and type are the files service's,
 * never the client's, so the bytes offered are the bytes held under the sender's quota.
 */
@Injectable()
export class StoredFiles {
  constructor(@Inject(FILES_CLIENT) private readonly files: FilesClient) {}

  async resolve(request: StoredOfferRequest, now: Date): Promise<ResolvedStoredOffer> {
    const found = await Promise.all(request.fileIds.map((fileId, index) => this.activeFile(fileId, index, now)));
    const files: TransferFileEntity[] = found.map(({ file }) => ({
      name: file.name,
      sizeBytes: file.sizeBytes,
      mimeType: cleanMimeType(file.mimeType),
      fileId: file.id,
    }));
    const expiries = found.map(({ expiresAt }) => expiresAt.getTime());
    return {
      offer: {
        fromDeviceId: request.fromDeviceId,
        toDeviceId: request.toDeviceId,
        mode: 'stored',
        files,
        totalBytes: files.reduce((sum, file) => sum + file.sizeBytes, 0),
      },
      expiresAt: new Date(Math.min(...expiries)),
    };
  }

  private async activeFile(fileId: string, index: number, now: Date) {
    let file: filesV1.File | undefined;
    try {
      ({ file } = await this.files.getFile({ fileId }));
    } catch (error) {
      // Only "no such file of yours" is the client's to know; anything else (the files service
      // is down) goes out as it came.
      if (error instanceof DomainError && error.code === ErrorCode.NOT_FOUND) throw storedFileNotFound(index);
      throw error;
    }
    if (!file) throw storedFileNotFound(index);
    const expiresAt = fromTimestamp(file.expiresAt) ?? NEVER_EXPIRES;
    // An active file whose retention ended moments ago is expired too: the files service's
    // expiry tick may not have reached it yet.
    if (file.status !== filesV1.FileStatus.FILE_STATUS_ACTIVE || expiresAt.getTime() <= now.getTime()) {
      throw storedFileExpired(index);
    }
    return { file, expiresAt };
  }
}

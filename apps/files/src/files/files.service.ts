import { filesV1, quotasV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { quotaAccountOf, verifyCallerToken, pageLimit } from '@lexy/server-grpc';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ulid } from 'ulid';
import { v7 as uuidv7 } from 'uuid';
import { toOwner, type Owner } from './caller.js';
import type { Clock } from './clock.js';
import { FileChanges } from './file-changes.js';
import { followDeletion } from './file-deletion.js';
import type { FileEntity } from './file.entity.js';
import { parseId } from './file-id.js';
import { cleanFileName, cleanMimeType } from './file-name.js';
import { toFile, toStoredObject } from './file.mapper.js';
import {
  REDEMPTION_MS,
  REDEMPTION_SECONDS,
  restoreStanding,
  unrestoredFile,
  type RestoreStanding,
} from './file-restore.js';
import {
  CALLER_TOKEN_SECRET,
  PICKUP_CODE_SPACE,
  CLOCK,
  QUOTAS_CLIENT,
  type QuotasClient,
} from './files.dependencies.js';
import { DuplicatePickupCodeError, FilesRepository, type CommitOutcome } from './files.repository.js';
import { generateLinkToken } from './link-token.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '@lexy/server-database';
import { PickupCodeCipher } from './pickup-code-cipher.js';
import { generatePickupCode, type PickupCodeSpace } from './pickup-code.js';
import { requireWellFormedPin } from './pin.js';
import { PinHasher } from './pin-hasher.js';
import { PurgeQueue } from './purge-queue.js';
import { uploadTtlSeconds } from './upload-expiry.js';
import type { UploadEntity } from './upload.entity.js';

/** Draws of a fresh code before giving up; with 2^30 codes a single collision is already rare. */
export const MAX_CODE_ATTEMPTS = 10;
export const MAX_DOWNLOAD_LIMIT = 1000;

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** The only group whose files AdoptFiles takes over (a guest who then signs in). */
const ANONYMOUS_GROUP = 'anonymous';
/** MoveFileStorage refusals that leave a file with its anonymous owner instead of failing AdoptFiles. */
const KEPT_ON: ReadonlySet<string> = new Set([ErrorCode.FILE_TOO_LARGE, ErrorCode.STORAGE_QUOTA_EXCEEDED]);

const FILE_NOT_FOUND = 'File not found';
const UPLOAD_NOT_FOUND = 'Upload not found';

function uploadExpired(): DomainError {
  return new DomainError(ErrorCode.UPLOAD_EXPIRED, 'The upload has expired');
}

function isNonNegativeInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

@Injectable()
export class FilesService {
  private readonly logger = new Logger(FilesService.name);

  constructor(
    private readonly repository: FilesRepository,
    private readonly cipher: PickupCodeCipher,
    @Inject(QUOTAS_CLIENT) private readonly quotas: QuotasClient,
    @Inject(PICKUP_CODE_SPACE) private readonly codeSpace: PickupCodeSpace,
    @Inject(CALLER_TOKEN_SECRET) private readonly callerSecret: string,
    private readonly pinHasher: PinHasher,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly changes: FileChanges,
    private readonly purgeQueue: PurgeQueue,
  ) {}

  // Calls to quotas act for the same caller: its token travels with them (toPromiseClient).

  async beginUpload(owner: Owner, request: filesV1.BeginUploadRequest): Promise<filesV1.BeginUploadResponse> {
    const { declaredSizeBytes, downloadLimit } = request;
    if (declaredSizeBytes !== undefined && !isNonNegativeInteger(declaredSizeBytes)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The declared size must be a non-negative integer');
    }
    if (
      downloadLimit !== undefined &&
      !(Number.isInteger(downloadLimit) && downloadLimit >= 1 && downloadLimit <= MAX_DOWNLOAD_LIMIT)
    ) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `The download limit must be from 1 to ${MAX_DOWNLOAD_LIMIT}`, {
        field: 'downloadLimit',
      });
    }
    const ttlSeconds = uploadTtlSeconds(request.expiresInSeconds);
    // Hashed here, whatever path the upload takes (multipart, raw PUT, tus); only the hash is kept.
    const pinHash = request.pin === undefined ? null : await this.pinHasher.hash(requireWellFormedPin(request.pin));

    // FILE_TOO_LARGE and STORAGE_QUOTA_EXCEEDED come from here unchanged.
    const reservation = await this.quotas.reserveStorage({
      ...(declaredSizeBytes === undefined ? {} : { requestedBytes: declaredSizeBytes }),
    });
    const uploadId = uuidv7();
    // Never derived from anything the client sent (UP-01).
    const objectKey = `files/${ulid()}`;
    const maxBytes = reservation.reservedBytes ?? null;
    try {
      await this.repository.insertUpload(
        {
          id: uploadId,
          ownerId: owner.ownerId,
          ownerGroup: owner.group,
          name: cleanFileName(request.name),
          mimeType: cleanMimeType(request.mimeType),
          objectKey,
          reservationId: reservation.reservationId,
          maxBytes,
          downloadLimit: downloadLimit ?? null,
          pinHash,
        },
        ttlSeconds,
      );
    } catch (error) {
      await this.quotas
        .releaseReservation({ reservationId: reservation.reservationId })
        .catch((releaseError: unknown) =>
          this.logger.error(`could not release reservation ${reservation.reservationId}: ${String(releaseError)}`),
        );
      throw error;
    }
    return {
      uploadId,
      objectKey,
      ...(maxBytes === null ? {} : { maxBytes }),
      overLimitCode:
        reservation.limitedBy === quotasV1.LimitKind.LIMIT_KIND_STORAGE
          ? ErrorCode.STORAGE_QUOTA_EXCEEDED
          : ErrorCode.FILE_TOO_LARGE,
    };
  }

  async commitUpload({ ownerId }: Owner, request: filesV1.CommitUploadRequest): Promise<filesV1.CommitUploadResponse> {
    const uploadId = parseId(request.uploadId);
    if (!uploadId) throw new DomainError(ErrorCode.NOT_FOUND, UPLOAD_NOT_FOUND);

    const committed = await this.repository.findFileByUploadId(ownerId, uploadId);
    if (committed) return { file: await this.settle(committed) };

    const upload = await this.repository.findUpload(ownerId, uploadId);
    if (!upload) return { file: await this.settleConcurrentCommit(ownerId, uploadId) };
    const sha256 = request.sha256.toLowerCase();
    if (!SHA256_HEX.test(sha256)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'sha256 must be 64 hex characters', { field: 'sha256' });
    }
    if (!isNonNegativeInteger(request.sizeBytes) || (upload.maxBytes !== null && request.sizeBytes > upload.maxBytes)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The size is not within what was reserved for this upload', {
        field: 'sizeBytes',
      });
    }

    const { limits } = await this.quotas.getGroupLimits({ group: upload.ownerGroup });
    const createdAt = await this.repository.now();
    const retentionSeconds = limits?.retentionSeconds;
    const expiresAt = retentionSeconds === undefined ? null : new Date(createdAt.getTime() + retentionSeconds * 1000);
    const fileId = uuidv7();
    const linkToken = generateLinkToken();

    for (let attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt += 1) {
      const code = generatePickupCode(this.codeSpace);
      const file: FileEntity = {
        id: fileId,
        uploadId,
        ownerId,
        reservationId: upload.reservationId,
        name: upload.name,
        mimeType: upload.mimeType,
        sizeBytes: request.sizeBytes,
        sha256,
        objectKey: upload.objectKey,
        codeHmac: this.cipher.hmac(code),
        codeCiphertext: this.cipher.encrypt(code, fileId),
        status: 'active',
        createdAt,
        expiresAt,
        purgeAt: expiresAt && new Date(expiresAt.getTime() + REDEMPTION_MS),
        downloads: 0,
        downloadLimit: upload.downloadLimit,
        pinHash: upload.pinHash,
        linkTokenHmac: this.cipher.linkTokenHmac(linkToken),
        linkTokenCiphertext: this.cipher.encryptLinkToken(linkToken, fileId),
        pinFailures: 0,
        pinWindowStartedAt: null,
        pinLockedUntil: null,
        pinFailuresTotal: 0,
        purgeClaimedAt: null,
        objectMissingAt: null,
      };
      let outcome: CommitOutcome;
      try {
        outcome = await this.repository.commitUpload(ownerId, file);
      } catch (error) {
        if (error instanceof DuplicatePickupCodeError) continue;
        throw error;
      }
      if (outcome === 'committed') return { file: await this.settle(file) };
      if (outcome === 'blocked') throw await this.refuseBlocked(upload);
      return { file: await this.settleConcurrentCommit(ownerId, uploadId) };
    }
    this.logger.error(`no free pickup code after ${MAX_CODE_ATTEMPTS} attempts`);
    throw new DomainError(ErrorCode.CODE_SPACE_EXHAUSTED, 'No pickup code is free right now; try again later');
  }

  async abortUpload({ ownerId }: Owner, request: filesV1.AbortUploadRequest): Promise<filesV1.AbortUploadResponse> {
    const uploadId = parseId(request.uploadId);
    if (!uploadId) return {};
    const upload = await this.repository.deleteUpload(ownerId, uploadId);
    if (upload) await this.quotas.releaseReservation({ reservationId: upload.reservationId });
    return {};
  }

  async getFile({ ownerId }: Owner, request: filesV1.GetFileRequest): Promise<filesV1.GetFileResponse> {
    const file = await this.findOwnFile(ownerId, request.fileId);
    return { file: this.toOwnerView(file), object: toStoredObject(file) };
  }

  async listFiles({ ownerId }: Owner, request: filesV1.ListFilesRequest): Promise<filesV1.ListFilesResponse> {
    const limit = pageLimit(request.page?.limit);
    const cursor = request.page?.cursor ?? '';
    const after = cursor ? decodeKeysetCursor(cursor) : undefined;
    if (after === null) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The page cursor is not valid', { field: 'cursor' });
    }
    // One extra row says whether another page exists without a second query.
    const rows = await this.repository.listFiles(ownerId, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((file) => this.toOwnerView(file)),
      nextCursor: rows.length > limit && last ? encodeKeysetCursor(last) : '',
    };
  }

  /** Gone for everyone once the row says purging; the rest follows it (followDeletion). */
  async deleteFile({ ownerId }: Owner, request: filesV1.DeleteFileRequest): Promise<filesV1.DeleteFileResponse> {
    const fileId = parseId(request.fileId);
    if (!fileId || !(await this.repository.markPurging(ownerId, fileId))) {
      throw new DomainError(ErrorCode.NOT_FOUND, FILE_NOT_FOUND);
    }
    await followDeletion(fileId, this.changes, this.purgeQueue);
    return {};
  }

  /**
   * Makes an expired file active again inside its redemption window, with a fresh retention
   * period of the owner's group; its pickup code works again (its HMAC stayed on the row).
   * Restoring a file that has not expired answers it unchanged. The stored bytes of an
   * expired file still count until it is purged, so the check is whether the owner is over
   * the group's storage limit now (a group whose limit shrank, or an adoption).
   */
  async restoreFile(owner: Owner, request: filesV1.RestoreFileRequest): Promise<filesV1.RestoreFileResponse> {
    const fileId = parseId(request.fileId);
    if (!fileId) throw new DomainError(ErrorCode.NOT_FOUND, FILE_NOT_FOUND);
    // Answers that need neither quotas nor an UPDATE first.
    const before = await this.repository.findFileInAnyState(owner.ownerId, fileId);
    const standing = restoreStanding(before, await this.repository.now());
    if (standing !== 'restorable') return this.unrestored(before, standing);

    const { limits } = await this.quotas.getGroupLimits({ group: owner.group });
    if (limits?.storageBytes !== undefined) {
      // Acts for the caller, like every quotas call here: its own usage.
      const { usage } = await this.quotas.getUsage({});
      if ((usage?.storageUsedBytes ?? 0) > limits.storageBytes) {
        // The same answer as a refused reservation in quotas.
        throw new DomainError(ErrorCode.STORAGE_QUOTA_EXCEEDED, 'Storage quota exceeded', { remainingBytes: 0 });
      }
    }
    const periods = { retentionSeconds: limits?.retentionSeconds ?? null, redemptionSeconds: REDEMPTION_SECONDS };
    if (await this.repository.restoreFile(owner.ownerId, fileId, periods)) {
      await this.changes.announce(fileId);
      const restored = await this.repository.findFile(owner.ownerId, fileId);
      if (restored) return { file: this.toOwnerView(restored) };
    }
    // A purge claim or another restore changed the row since it was read: answer from it now.
    const after = await this.repository.findFileInAnyState(owner.ownerId, fileId);
    return this.unrestored(after, restoreStanding(after, await this.repository.now()));
  }

  /** Opens the PIN path that too many wrong PINs closed; the per-source locks stay. */
  async reopenPin({ ownerId }: Owner, request: filesV1.ReopenPinRequest): Promise<filesV1.ReopenPinResponse> {
    const fileId = parseId(request.fileId);
    const file = fileId ? await this.repository.reopenPin(ownerId, fileId) : null;
    if (!file) throw new DomainError(ErrorCode.NOT_FOUND, FILE_NOT_FOUND);
    return { file: this.toOwnerView(file) };
  }

  /**
   * Moves the live files of an anonymous identity to the caller who just signed in. Each
   * file's storage moves first (checked against the caller's limits), then its row; a
   * run cut short in between is completed by the next one, since a move already made in
   * quotas is a no-op there. Files that do not fit stay with the anonymous identity.
   */
  async adoptFiles(owner: Owner, request: filesV1.AdoptFilesRequest): Promise<filesV1.AdoptFilesResponse> {
    // Only a token the gateway signed names the identity, never a bare id (AUTH-08).
    const fromCaller = verifyCallerToken(request.fromCallerToken, this.callerSecret);
    const from = toOwner(fromCaller);
    // Quotas count the files' bytes under the identity's quota account, not its owner id.
    const fromAccount = quotaAccountOf(fromCaller);
    if (from.group !== ANONYMOUS_GROUP || from.ownerId === owner.ownerId) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Files can only be adopted from another, anonymous identity', {
        field: 'fromCallerToken',
      });
    }
    let moved = 0;
    let kept = 0;
    for (const fileId of await this.repository.listLiveFileIds(from.ownerId)) {
      try {
        await this.quotas.moveFileStorage({ fileId, fromOwnerId: fromAccount });
      } catch (error) {
        if (!(error instanceof DomainError) || !KEPT_ON.has(error.code)) throw error;
        kept += 1;
        continue;
      }
      // A concurrent adoption may have moved the row first; it counts the file then.
      if (await this.repository.changeOwner(fileId, from.ownerId, owner.ownerId)) moved += 1;
    }
    return { moved, kept };
  }

  /** The answer of a restore that restored nothing, from the file as it is now. */
  private unrestored(file: FileEntity | null, standing: RestoreStanding): filesV1.RestoreFileResponse {
    return { file: this.toOwnerView(unrestoredFile(file, standing)) };
  }

  private async findOwnFile(ownerId: string, rawId: string): Promise<FileEntity> {
    const fileId = parseId(rawId);
    const file = fileId ? await this.repository.findFile(ownerId, fileId) : null;
    if (!file) throw new DomainError(ErrorCode.NOT_FOUND, FILE_NOT_FOUND);
    return file;
  }

  /** Settling is idempotent per file in quotas, so a retried commit may safely run it again. */
  private async settle(file: FileEntity): Promise<filesV1.File> {
    await this.quotas.settleReservation({
      reservationId: file.reservationId,
      fileId: file.id,
      actualBytes: file.sizeBytes,
    });
    return this.toOwnerView(file);
  }

  /**
   * The upload's bytes were taken down (their SHA-256 is blocked): its row went with the
   * refused commit, so its reservation goes now. A release that fails is logged: quotas lets
   * an unsettled reservation lapse on its own. The gateway deletes the object it stored.
   */
  private async refuseBlocked(upload: UploadEntity): Promise<DomainError> {
    await this.quotas
      .releaseReservation({ reservationId: upload.reservationId })
      .catch((error: unknown) =>
        this.logger.error(`could not release reservation ${upload.reservationId}: ${String(error)}`),
      );
    return new DomainError(ErrorCode.UPLOAD_BLOCKED, 'These bytes were taken down and may not be uploaded again');
  }

  /**
   * The upload could not be committed: either a concurrent commit of it won since we last
   * looked (then its file is the answer), or its row is still there but past its expiry
   * (UPLOAD_EXPIRED: it never becomes a file), or it never existed for this owner or was
   * aborted.
   */
  private async settleConcurrentCommit(ownerId: string, uploadId: string): Promise<filesV1.File> {
    const winner = await this.repository.findFileByUploadId(ownerId, uploadId);
    if (winner) return this.settle(winner);
    if (await this.repository.findUpload(ownerId, uploadId)) throw uploadExpired();
    throw new DomainError(ErrorCode.NOT_FOUND, UPLOAD_NOT_FOUND);
  }

  private toOwnerView(file: FileEntity): filesV1.File {
    const code = file.codeCiphertext ? this.cipher.decrypt(file.codeCiphertext, file.id) : '';
    const linkToken = file.linkTokenCiphertext ? this.cipher.decryptLinkToken(file.linkTokenCiphertext, file.id) : null;
    return toFile(file, code, linkToken, this.clock.now());
  }
}

import { filesV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode, isErrorCode } from '@lexy/server-errors';
import type { ObjectStorage } from '@lexy/server-storage';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { FILES_CLIENT, type FilesClient } from '../grpc/grpc-clients.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { OBJECT_STORAGE } from './storage.provider.js';
import { overLimitMessage, UploadMeter } from './upload-meter.js';

export interface IncomingUpload {
  name: string;
  mimeType: string;
  /** Exact body length when the transport states it (a raw PUT), checked before reading. */
  declaredSizeBytes?: number;
  /** An upper bound of the file size (a multipart body's Content-Length). */
  sizeUpperBoundBytes?: number;
  downloadLimit?: number;
  /** The pickup PIN as the client sent it; the files service checks and hashes it. */
  pin?: string;
  body: Readable;
  /** Runs after the bytes are stored and before the file is committed; may still refuse it. */
  beforeCommit?: () => Promise<void>;
}

/**
 * Streams one upload into object storage: the files service reserves quota and names
 * the object, the bytes go straight from the request to storage through a meter that
 * hashes them and enforces the reserved size, and the file is committed only when
 * every byte is stored. Any failure leaves no object, no upload row and no reservation.
 */
@Injectable()
export class UploadService {
  private readonly logger = new Logger('upload');

  constructor(
    @Inject(FILES_CLIENT) private readonly files: FilesClient,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Stores one upload for the caller of the current request (signed into its context by CallerGuard). */
  async store(upload: IncomingUpload): Promise<filesV1.File> {
    const begun = await this.files.beginUpload({
      name: upload.name,
      mimeType: upload.mimeType,
      declaredSizeBytes: upload.declaredSizeBytes,
      downloadLimit: upload.downloadLimit,
      pin: upload.pin,
    });
    const overLimitCode = isErrorCode(begun.overLimitCode) ? begun.overLimitCode : ErrorCode.FILE_TOO_LARGE;
    const meter = new UploadMeter(begun.maxBytes, overLimitCode, (bytes) => this.metrics.uploaded('direct', bytes));

    const receiving = this.metrics.uploadStarted('direct');
    try {
      this.refuseOversizedBody(upload, begun.maxBytes, overLimitCode);
      await this.storage.putStream(begun.objectKey, this.metered(upload.body, meter), { contentType: upload.mimeType });
    } catch (error) {
      await this.abandon(begun.uploadId, null);
      throw meter.limitError ?? this.describeStreamFailure(error);
    } finally {
      receiving();
    }

    try {
      await upload.beforeCommit?.();
      const committed = await this.files.commitUpload({
        uploadId: begun.uploadId,
        sizeBytes: meter.bytes,
        sha256: meter.digest(),
      });
      if (!committed.file) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
      return committed.file;
    } catch (error) {
      await this.abandon(begun.uploadId, begun.objectKey);
      throw error;
    }
  }

  /** A body whose stated length is already past the limit is refused before any byte is read. */
  private refuseOversizedBody(upload: IncomingUpload, maxBytes: number | undefined, code: ErrorCode): void {
    const bound = upload.declaredSizeBytes ?? upload.sizeUpperBoundBytes;
    // A multipart body carries boundaries and fields besides the file: allow for them.
    const allowance = upload.declaredSizeBytes === undefined ? 64 * 1024 : 0;
    if (maxBytes !== undefined && bound !== undefined && bound > maxBytes + allowance) {
      throw new DomainError(code, overLimitMessage(code), { maxBytes });
    }
  }

  /**
   * Pipes the body into the meter without letting a meter failure destroy the body:
   * the request must stay open so the client still receives the 413 answer.
   */
  private metered(body: Readable, meter: UploadMeter): UploadMeter {
    body.once('error', (error) => meter.destroy(error));
    body.once('close', () => {
      if (!body.readableEnded) meter.destroy(new Error('upload interrupted by the client'));
    });
    meter.once('error', () => body.unpipe(meter));
    body.pipe(meter);
    return meter;
  }

  private describeStreamFailure(error: unknown): DomainError {
    if (error instanceof DomainError) return error;
    this.logger.warn(`upload stream failed: ${error instanceof Error ? error.message : String(error)}`);
    return new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The upload could not be stored; please retry');
  }

  /** Best-effort clean-up after a failed upload; the original error is what the client sees. */
  private async abandon(uploadId: string, objectKey: string | null): Promise<void> {
    try {
      if (objectKey) await this.storage.remove(objectKey);
      await this.files.abortUpload({ uploadId });
    } catch (error) {
      this.logger.error(`could not clean up upload ${uploadId}: ${(error as Error).message}`);
    }
  }
}

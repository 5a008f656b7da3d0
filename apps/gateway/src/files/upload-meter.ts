import { DomainError, ErrorCode } from '@lexy/server-errors';
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes upload bytes through while counting and hashing them, and fails the stream at
 * the first byte past the limit. The limit comes from the reservation the quotas
 * service made, so it is enforced on the bytes that arrive, never on a declared length.
 */
export class UploadMeter extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  limitError: DomainError | undefined;

  constructor(
    private readonly maxBytes: number | undefined,
    private readonly overLimitCode: ErrorCode,
    /** Hears each chunk's length as it passes (the upload-bytes metric). */
    private readonly onBytes: (bytes: number) => void = () => undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.maxBytes !== undefined && this.bytes > this.maxBytes) {
      this.limitError = new DomainError(this.overLimitCode, overLimitMessage(this.overLimitCode), {
        maxBytes: this.maxBytes,
      });
      callback(this.limitError);
      return;
    }
    this.hash.update(chunk);
    this.onBytes(chunk.length);
    callback(null, chunk);
  }

  /** Hex SHA-256 of everything that passed; call once, after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

export function overLimitMessage(code: ErrorCode): string {
  return code === ErrorCode.STORAGE_QUOTA_EXCEEDED
    ? 'The upload does not fit in the remaining storage quota'
    : 'The file is larger than your group allows';
}

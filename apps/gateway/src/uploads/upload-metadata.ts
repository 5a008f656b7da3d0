import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Metadata } from '@tus/utils';

/** What an upload's `Upload-Metadata` header says, read for the files service. */
export interface UploadMetadata {
  /** As sent; the files service cleans it (UP-01). */
  name: string;
  mimeType: string;
  downloadLimit?: number;
  pin?: string;
  /** The hex SHA-256 the client says the whole file has (lower case); checked when the upload completes. */
  sha256?: string;
  /** The metadata HEAD may echo back: everything but secrets. */
  echoed: Record<string, string | null>;
}

/** Metadata keys that are never echoed back in HEAD answers. */
const SECRET_KEYS = new Set(['pin']);

const invalid = (message: string, field?: string) =>
  new DomainError(ErrorCode.VALIDATION_FAILED, message, field ? { field } : {});

/**
 * Reads `filename`, `filetype` and the optional `downloadLimit`, `pin` and `sha256` (the whole
 * file's digest, 64 hex digits) of tus' Upload-Metadata (base64 values, decoded as UTF-8, so
 * any name survives).
 */
export function readUploadMetadata(header: string | null): UploadMetadata {
  let raw: Record<string, string | null> = {};
  if (header !== null && header.trim() !== '') {
    try {
      raw = Metadata.parse(header);
    } catch {
      throw invalid('Upload-Metadata must be comma-separated "key base64value" pairs', 'Upload-Metadata');
    }
  }
  const downloadLimit = raw['downloadLimit'];
  if (downloadLimit !== undefined && !(downloadLimit !== null && /^\d{1,9}$/.test(downloadLimit))) {
    throw invalid('downloadLimit must be a whole number', 'downloadLimit');
  }
  const sha256 = raw['sha256'];
  if (sha256 !== undefined && !(sha256 !== null && /^[0-9a-fA-F]{64}$/.test(sha256))) {
    throw invalid('sha256 must be the hex SHA-256 of the whole file (64 hex digits)', 'sha256');
  }
  return {
    name: raw['filename'] ?? raw['name'] ?? '',
    mimeType: raw['filetype'] ?? raw['type'] ?? 'application/octet-stream',
    ...(downloadLimit ? { downloadLimit: Number(downloadLimit) } : {}),
    ...(raw['pin'] ? { pin: raw['pin'] } : {}),
    ...(sha256 ? { sha256: sha256.toLowerCase() } : {}),
    echoed: Object.fromEntries(Object.entries(raw).filter(([key]) => !SECRET_KEYS.has(key))),
  };
}

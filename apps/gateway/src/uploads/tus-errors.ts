import { DomainError, ErrorCode } from '@lexy/server-errors';

/** The tus server's own refusals (status + text body) as envelope codes. */
const CODE_FOR_TUS_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.UPLOAD_OFFSET_MISMATCH,
  410: ErrorCode.UPLOAD_EXPIRED,
  412: ErrorCode.TUS_VERSION_UNSUPPORTED,
  413: ErrorCode.FILE_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  423: ErrorCode.UPLOAD_LOCKED,
  460: ErrorCode.CHECKSUM_MISMATCH,
  // An extension we do not offer (deferred length, concatenation): the request is not valid here.
  501: ErrorCode.VALIDATION_FAILED,
};

const MESSAGE_FOR_CODE: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.NOT_FOUND]: 'Upload not found',
  [ErrorCode.UPLOAD_OFFSET_MISMATCH]: 'Upload-Offset does not match the bytes stored; ask with HEAD and resume there',
  [ErrorCode.UPLOAD_EXPIRED]: 'The upload expired; start a new one',
  [ErrorCode.FILE_TOO_LARGE]: 'The upload is larger than allowed',
  [ErrorCode.UPLOAD_LOCKED]: 'Another request is writing to this upload; retry shortly',
};

/** An error the tus server raised (`{status_code, body}`) or anything else thrown inside it. */
export function tusErrorToDomainError(error: unknown): DomainError {
  const status = (error as { status_code?: unknown } | null)?.status_code;
  const code = typeof status === 'number' ? CODE_FOR_TUS_STATUS[status] : undefined;
  if (!code) return new DomainError(ErrorCode.INTERNAL, 'Internal error');
  const text = String((error as { body?: unknown }).body ?? '').trim();
  return new DomainError(code, MESSAGE_FOR_CODE[code] ?? (text || 'The request is not valid'));
}

import { DomainError, ErrorCode } from '@lexy/server-errors';

/** The longest an upload session lives, and how long it lives unless it asks for less. */
export const UPLOAD_TTL_HOURS = 24;
const MAX_UPLOAD_TTL_SECONDS = UPLOAD_TTL_HOURS * 3600;

/**
 * How long a new upload session may take before it can no longer be committed: the
 * `expiresInSeconds` it asked for (tus' Upload-Expires), capped at UPLOAD_TTL_HOURS.
 */
export function uploadTtlSeconds(expiresInSeconds: number | undefined): number {
  if (expiresInSeconds === undefined) return MAX_UPLOAD_TTL_SECONDS;
  if (!Number.isSafeInteger(expiresInSeconds) || expiresInSeconds < 1) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The upload expiry must be a positive number of seconds', {
      field: 'expiresInSeconds',
    });
  }
  return Math.min(expiresInSeconds, MAX_UPLOAD_TTL_SECONDS);
}

import { DomainError, ErrorCode } from '@lexy/server-errors';

/** The most rows one maintenance call acts on, so every call is one bounded transaction. */
export const MAX_MAINTENANCE_BATCH = 1000;

/** A maintenance call's batch size: 1 to MAX_MAINTENANCE_BATCH (no default: the caller decides). */
export function batchLimit(limit: number, field = 'limit'): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MAINTENANCE_BATCH) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `The limit must be from 1 to ${MAX_MAINTENANCE_BATCH}`, {
      field,
    });
  }
  return limit;
}

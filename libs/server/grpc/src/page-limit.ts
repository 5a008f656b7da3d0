import { DomainError, ErrorCode } from '@lexy/server-errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Admin lists page through every owner's data: smaller pages (security-cases AZ-05). */
export const MAX_ADMIN_PAGE_SIZE = 100;

/** common.proto's PageRequest.limit of a list call: 0 means the default, more than the maximum is capped. */
export function pageLimit(requested: number | undefined, max: number = MAX_PAGE_SIZE): number {
  const limit = requested ?? 0;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The page limit must be a positive integer', {
      field: 'limit',
    });
  }
  return Math.min(limit || DEFAULT_PAGE_SIZE, max);
}

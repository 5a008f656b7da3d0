import { DomainError, ErrorCode } from '@lexy/server-errors';
import { parseId } from './file-id.js';

/** The most rows or ids one lifecycle call acts on, so every call is one bounded transaction. */
export const MAX_LIFECYCLE_BATCH = 1000;
/** Object keys are at most 64 characters (files.object_key); S3 keys at most 1024 bytes. */
const MAX_OBJECT_KEY_LENGTH = 1024;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function invalid(message: string, field: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { field });
}

/** A batch size: 1 to MAX_LIFECYCLE_BATCH. */
export function requireBatchLimit(limit: number, field = 'limit'): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIFECYCLE_BATCH) {
    throw invalid(`The limit must be from 1 to ${MAX_LIFECYCLE_BATCH}`, field);
  }
  return limit;
}

/** How old a purge claim must be to be taken over: at least a second. */
export function requireLeaseSeconds(leaseSeconds: number): number {
  if (!Number.isSafeInteger(leaseSeconds) || leaseSeconds < 1) {
    throw invalid('The lease must be a positive number of seconds', 'leaseSeconds');
  }
  return leaseSeconds;
}

/** Ids as stored (parseId), without repeats: at most MAX_LIFECYCLE_BATCH, each well formed. */
export function requireIds(values: readonly string[], field: string): string[] {
  if (values.length > MAX_LIFECYCLE_BATCH) throw invalid(`At most ${MAX_LIFECYCLE_BATCH} ids are allowed`, field);
  const ids = new Set<string>();
  for (const value of values) {
    const id = parseId(value);
    if (!id) throw invalid('Every id must be a UUID', field);
    ids.add(id);
  }
  return [...ids];
}

/**
 * The key a page of object refs starts after. Stored keys are ASCII (server-made), and a
 * key outside printable ASCII could not be compared with them in the column's character set.
 */
export function requireAfterKey(afterKey: string): string {
  if (afterKey.length > MAX_OBJECT_KEY_LENGTH || !PRINTABLE_ASCII.test(afterKey)) {
    throw invalid('The key must be printable ASCII of at most 1024 characters', 'afterKey');
  }
  return afterKey;
}

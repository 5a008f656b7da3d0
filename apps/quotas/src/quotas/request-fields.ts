import { DomainError, ErrorCode } from '@lexy/server-errors';

// Column widths of lexy_quotas: ids are UUIDs (char(36)), owners varchar(96), groups varchar(32).
export const MAX_OWNER_ID_LENGTH = 96;
export const MAX_GROUP_LENGTH = 32;
export const MAX_ID_LENGTH = 36;
/** Most rows or ids one maintenance call handles, so a call stays short. */
export const MAX_BATCH = 1000;

export function invalid(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, details);
}

export function requireText(field: string, value: string | undefined, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${field} is required`, { field });
  return optionalText(field, value, maxLength);
}

/** A text that may be empty (absent reads as ''), of at most `maxLength` characters. */
export function optionalText(field: string, value: string | undefined, maxLength: number): string {
  const text = value ?? '';
  if (text.length > maxLength) throw invalid(`${field} is longer than ${maxLength} characters`, { field });
  return text;
}

export function requireSize(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(`${field} must be a non-negative integer`, { field });
  return value;
}

/** At most MAX_BATCH ids, each a non-empty string of at most MAX_ID_LENGTH; repeats are dropped. */
export function requireIds(field: string, values: readonly string[] | undefined): string[] {
  const ids = values ?? [];
  if (ids.length > MAX_BATCH) throw invalid(`${field} holds more than ${MAX_BATCH} ids`, { field });
  return [...new Set(ids.map((id, i) => requireText(`${field}[${i}]`, id, MAX_ID_LENGTH)))];
}

/** A page size of 1 through MAX_BATCH. */
export function requireLimit(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_BATCH) {
    throw invalid(`${field} must be an integer from 1 to ${MAX_BATCH}`, { field });
  }
  return value;
}

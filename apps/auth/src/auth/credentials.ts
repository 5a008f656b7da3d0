import { DomainError, ErrorCode } from '@lexy/server-errors';

/** The groups a user can be in; the quotas service holds what each one may do. */
export const GROUPS = ['anonymous', 'normal', 'vip', 'admin'] as const;
export type GroupName = (typeof GROUPS)[number];

export const ANONYMOUS_GROUP: GroupName = 'anonymous';
export const NORMAL_GROUP: GroupName = 'normal';
export const ADMIN_GROUP: GroupName = 'admin';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_EMAIL_LENGTH = 320;
export const MAX_DISPLAY_NAME_LENGTH = 100;

export function isGroupName(value: string): value is GroupName {
  return (GROUPS as readonly string[]).includes(value);
}

/** Code points, not UTF-16 units: "characters" as a person (and MySQL's varchar) counts them. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

/**
 * One spelling per address: NFC, trimmed, lower-cased. The unique index then makes
 * `Ann@X.org` and `ann@x.org ` the same account.
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

// Deliberately loose (RFC 5322 is not worth parsing): one @, something on each side,
// no whitespace or control characters anywhere.
const EMAIL_SHAPE = /^[^@\s\p{Cc}]+@[^@\s\p{Cc}]+$/u;

export function isPlausibleEmail(normalized: string): boolean {
  return characterCount(normalized) <= MAX_EMAIL_LENGTH && EMAIL_SHAPE.test(normalized);
}

/** The normalised email, or VALIDATION_FAILED. */
export function requireEmail(email: string): string {
  const normalized = normalizeEmail(typeof email === 'string' ? email : '');
  if (!isPlausibleEmail(normalized)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid email address', {
      field: 'email',
      maxLength: MAX_EMAIL_LENGTH,
    });
  }
  return normalized;
}

/**
 * Whether a password may be set. It is taken exactly as received: no trimming, no
 * Unicode normalisation, no truncation (argon2id hashes every byte), so what the user
 * typed is what has to be typed again.
 */
export function isAcceptablePassword(password: unknown): password is string {
  if (typeof password !== 'string') return false;
  const length = characterCount(password);
  return length >= MIN_PASSWORD_LENGTH && length <= MAX_PASSWORD_LENGTH;
}

export function requirePassword(password: string, field = 'password'): string {
  if (!isAcceptablePassword(password)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid password', {
      field,
      minLength: MIN_PASSWORD_LENGTH,
      maxLength: MAX_PASSWORD_LENGTH,
    });
  }
  return password;
}

/** The display name to store (NFC, trimmed; null when empty), or VALIDATION_FAILED. */
export function requireDisplayName(displayName: string | undefined): string | null {
  const cleaned = (displayName ?? '').normalize('NFC').trim();
  if (cleaned === '') return null;
  if (characterCount(cleaned) > MAX_DISPLAY_NAME_LENGTH || /\p{Cc}/u.test(cleaned)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid display name', {
      field: 'displayName',
      maxLength: MAX_DISPLAY_NAME_LENGTH,
    });
  }
  return cleaned;
}

import { createHash } from 'node:crypto';

/** Hex SHA-256 of a string's UTF-8 bytes: lookup keys for secrets we must not store as given. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

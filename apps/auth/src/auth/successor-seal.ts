import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const INFO = 'lexy refresh-grace successor v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts a successor refresh token under a key derived from its predecessor token.
 * Only someone who presents the predecessor can derive the key, and that is exactly who
 * the grace window hands the successor to; a copy of the store alone opens nothing.
 * The row id of the predecessor is bound as associated data, so a sealed value moved to
 * another key does not open.
 */
export function sealSuccessor(predecessorToken: string, predecessorId: string, successorToken: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(predecessorToken), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(predecessorId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(successorToken, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The successor token, or null when `sealed` was not made from this predecessor and row. */
export function openSuccessor(predecessorToken: string, predecessorId: string, sealed: string): string | null {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= NONCE_BYTES + TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', keyOf(predecessorToken), bytes.subarray(0, NONCE_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(predecessorId, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}

/** The refresh token is 256 random bits, so HKDF without a salt yields a full-strength key. */
function keyOf(predecessorToken: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(predecessorToken, 'utf8'), Buffer.alloc(0), INFO, 32));
}

import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/**
 * Keeps pickup codes out of the database in plain text. Lookups go by HMAC-SHA-256 of
 * the normalized code under a pepper (unique index, PC-01); the owner's copy is
 * AES-256-GCM encrypted and bound to its file id, so a ciphertext copied onto another
 * row does not decrypt.
 */
export class PickupCodeCipher {
  private readonly pepper: Buffer;
  private readonly key: Buffer;

  constructor(pepper: string, encryptionSecret: string) {
    this.pepper = Buffer.from(pepper, 'utf8');
    // The configured secret is a passphrase-like string; HKDF turns it into exactly 32 key bytes.
    this.key = Buffer.from(hkdfSync('sha256', encryptionSecret, 'lexy-files', 'pickup-code-encryption/v1', 32));
  }

  /** Hex HMAC-SHA-256 of a normalized code: the only form a lookup ever uses. */
  hmac(normalizedCode: string): string {
    return createHmac('sha256', this.pepper).update(normalizedCode, 'utf8').digest('hex');
  }

  encrypt(code: string, fileId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(fileId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws when the value was not made by encrypt() with this key for this file. */
  decrypt(value: string, fileId: string): string {
    const [version, iv, ciphertext, tag, ...rest] = value.split('.');
    if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) {
      throw new Error('malformed pickup code ciphertext');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(fileId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}

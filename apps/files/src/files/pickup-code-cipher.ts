import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
// Prefix of a link token's HMAC input and associated data (codes have none).
const LINK_TOKEN_CONTEXT = 'link-token:';

/**
 * Keeps pickup codes and share-link tokens out of the database in plain text. Lookups go
 * by HMAC-SHA-256 under a pepper (unique index on codes, PC-01); the owner's copy is
 * AES-256-GCM encrypted and bound to its file id, so a ciphertext copied onto another
 * row does not decrypt. Link tokens use their own HMAC input and associated data, so a
 * code's values can never stand in for a token's or the other way round.
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
    return this.seal(code, fileId);
  }

  /** Throws when the value was not made by encrypt() with this key for this file. */
  decrypt(value: string, fileId: string): string {
    return this.open(value, fileId);
  }

  /** Hex HMAC-SHA-256 of a share-link token. */
  linkTokenHmac(token: string): string {
    return this.hmac(`${LINK_TOKEN_CONTEXT}${token}`);
  }

  encryptLinkToken(token: string, fileId: string): string {
    return this.seal(token, `${LINK_TOKEN_CONTEXT}${fileId}`);
  }

  decryptLinkToken(value: string, fileId: string): string {
    return this.open(value, `${LINK_TOKEN_CONTEXT}${fileId}`);
  }

  private seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  private open(value: string, associatedData: string): string {
    const [version, iv, ciphertext, tag, ...rest] = value.split('.');
    if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) {
      throw new Error('malformed ciphertext');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}

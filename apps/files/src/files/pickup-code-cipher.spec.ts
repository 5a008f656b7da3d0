import { PickupCodeCipher } from './pickup-code-cipher.js';

const PEPPER = 'test-pepper-0123456789abcdef0123456789';
const KEY = 'test-encryption-key-0123456789abcdef012';
const FILE_ID = '0190f4a2-0000-7000-8000-000000000001';

describe('PickupCodeCipher', () => {
  const cipher = new PickupCodeCipher(PEPPER, KEY);

  it('HMACs deterministically, per pepper, as 64 hex characters', () => {
    expect(cipher.hmac('ABC123')).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.hmac('ABC123')).toBe(cipher.hmac('ABC123'));
    expect(cipher.hmac('ABC123')).not.toBe(cipher.hmac('ABC124'));
    expect(new PickupCodeCipher(`${PEPPER}x`, KEY).hmac('ABC123')).not.toBe(cipher.hmac('ABC123'));
  });

  it('round-trips a code without it showing in the ciphertext', () => {
    const encrypted = cipher.encrypt('ABC123', FILE_ID);
    expect(encrypted).not.toContain('ABC123');
    expect(encrypted.length).toBeLessThanOrEqual(255);
    expect(cipher.decrypt(encrypted, FILE_ID)).toBe('ABC123');
    expect(cipher.encrypt('ABC123', FILE_ID)).not.toBe(encrypted);
  });

  it('refuses a ciphertext moved to another file, tampered with, or under another key', () => {
    const encrypted = cipher.encrypt('ABC123', FILE_ID);
    expect(() => cipher.decrypt(encrypted, '0190f4a2-0000-7000-8000-000000000002')).toThrow();
    const parts = encrypted.split('.');
    parts[2] = Buffer.from('XYZ789').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), FILE_ID)).toThrow();
    expect(() => new PickupCodeCipher(PEPPER, `${KEY}x`).decrypt(encrypted, FILE_ID)).toThrow();
    expect(() => cipher.decrypt('garbage', FILE_ID)).toThrow();
  });
});

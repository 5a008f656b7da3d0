import { DomainError, ErrorCode } from '@lexy/server-errors';
import fc from 'fast-check';
import { normalizeEmail, requireDisplayName, requireEmail, requirePassword } from './credentials.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'OK';
  } catch (error) {
    return error instanceof DomainError ? error.code : 'THREW';
  }
};

describe('credentials', () => {
  it('normalises emails: NFC, trimmed, lower-cased', () => {
    expect(normalizeEmail('  Ann.X@Example.ORG ')).toBe('ann.x@example.org');
    expect(normalizeEmail('Jose\u0301@example.org')).toBe('jos\u00e9@example.org');
  });

  it.each([
    ['no @', 'ann.example.org'],
    ['two @', 'ann@x@example.org'],
    ['empty local part', '@example.org'],
    ['empty domain', 'ann@'],
    ['inner space', 'ann x@example.org'],
    ['control character', 'ann\u0000@example.org'],
    ['321 characters', `${'a'.repeat(309)}@example.org`],
    ['empty', ''],
  ])('refuses an email with %s', (_name, email) => {
    expect(codeOf(() => requireEmail(email))).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('accepts a 320-character email', () => {
    const email = `${'a'.repeat(309)}@example.or`;
    expect(email).toHaveLength(320);
    expect(requireEmail(email)).toBe(email);
  });

  it('takes passwords exactly as given: 8 to 256 characters, spaces and all', () => {
    expect(requirePassword('Password1 ')).toBe('Password1 ');
    expect(requirePassword(' '.repeat(8))).toBe('        ');
    expect(codeOf(() => requirePassword('x'.repeat(7)))).toBe(ErrorCode.VALIDATION_FAILED);
    expect(codeOf(() => requirePassword('x'.repeat(256)))).toBe('OK');
    expect(codeOf(() => requirePassword('x'.repeat(257)))).toBe(ErrorCode.VALIDATION_FAILED);
    // Characters, not UTF-16 units: 256 emoji are 512 units and still allowed.
    expect(codeOf(() => requirePassword('😀'.repeat(256)))).toBe('OK');
  });

  it('never alters an acceptable password', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 256, unit: 'grapheme-composite' }), (password) => {
        const length = [...password].length;
        fc.pre(length >= 8 && length <= 256);
        expect(requirePassword(password)).toBe(password);
      }),
    );
  });

  it('keeps display names up to 100 characters, trimmed; empty means none', () => {
    expect(requireDisplayName('  Ann  ')).toBe('Ann');
    expect(requireDisplayName('')).toBeNull();
    expect(requireDisplayName('x'.repeat(100))).toHaveLength(100);
    expect(codeOf(() => requireDisplayName('x'.repeat(101)))).toBe(ErrorCode.VALIDATION_FAILED);
  });
});

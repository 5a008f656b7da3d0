import { DomainError, ErrorCode } from '@lexy/server-errors';
import { MAX_BATCH, optionalText, requireIds, requireLimit } from './request-fields.js';

function validationError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.VALIDATION_FAILED);
    return error as DomainError;
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('requireIds', () => {
  it('accepts up to MAX_BATCH ids and drops repeats', () => {
    expect(requireIds('file_ids', ['a', 'b', 'a'])).toEqual(['a', 'b']);
    expect(requireIds('file_ids', [])).toEqual([]);
    expect(requireIds('file_ids', undefined)).toEqual([]);
    const many = Array.from({ length: MAX_BATCH }, (_, i) => `id-${i}`);
    expect(requireIds('file_ids', many)).toHaveLength(MAX_BATCH);
  });

  it('refuses more than MAX_BATCH ids, an empty id and one longer than 36 characters', () => {
    const tooMany = Array.from({ length: MAX_BATCH + 1 }, (_, i) => `id-${i}`);
    expect(validationError(() => requireIds('file_ids', tooMany)).details).toEqual({ field: 'file_ids' });
    expect(validationError(() => requireIds('file_ids', ['a', ''])).details).toEqual({ field: 'file_ids[1]' });
    expect(validationError(() => requireIds('reservation_ids', ['x'.repeat(37)])).details).toEqual({
      field: 'reservation_ids[0]',
    });
    expect(requireIds('file_ids', ['x'.repeat(36)])).toEqual(['x'.repeat(36)]);
  });
});

describe('requireLimit', () => {
  it('accepts 1 through MAX_BATCH', () => {
    expect(requireLimit('limit', 1)).toBe(1);
    expect(requireLimit('limit', MAX_BATCH)).toBe(MAX_BATCH);
  });

  it.each([0, -1, MAX_BATCH + 1, 1.5, Number.NaN])('refuses %p', (value) => {
    expect(validationError(() => requireLimit('limit', value)).details).toEqual({ field: 'limit' });
  });
});

describe('optionalText', () => {
  it('reads absent as empty and refuses what is too long', () => {
    expect(optionalText('after_account_id', undefined, 96)).toBe('');
    expect(optionalText('after_account_id', 'x'.repeat(96), 96)).toBe('x'.repeat(96));
    validationError(() => optionalText('after_account_id', 'x'.repeat(97), 96));
  });
});

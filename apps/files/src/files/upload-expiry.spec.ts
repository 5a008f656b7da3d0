import { DomainError, ErrorCode } from '@lexy/server-errors';
import { uploadTtlSeconds } from './upload-expiry.js';

describe('how long an upload session lives', () => {
  it('is 24 hours unless the upload asks for less', () => {
    expect(uploadTtlSeconds(undefined)).toBe(86_400);
    expect(uploadTtlSeconds(1)).toBe(1);
    expect(uploadTtlSeconds(86_399)).toBe(86_399);
    expect(uploadTtlSeconds(86_400)).toBe(86_400);
    expect(uploadTtlSeconds(2 ** 31 - 1)).toBe(86_400);
  });

  it.each([0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p on the field expiresInSeconds', (value) => {
    let error: unknown;
    try {
      uploadTtlSeconds(value);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, details: { field: 'expiresInSeconds' } });
  });
});

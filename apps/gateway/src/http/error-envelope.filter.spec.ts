import { DomainError, ErrorCode } from '@lexy/server-errors';
import { NotFoundException } from '@nestjs/common';
import { toDomainError } from './error-envelope.filter.js';

const withCode = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9000`), { code });

describe('toDomainError', () => {
  it('keeps domain errors and maps Nest’s own exceptions', () => {
    const domain = new DomainError(ErrorCode.PIN_REQUIRED, 'PIN');
    expect(toDomainError(domain)).toBe(domain);
    expect(toDomainError(new NotFoundException()).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('answers a backing service that cannot be reached with 503 and Retry-After, also when wrapped', () => {
    for (const error of [withCode('ECONNREFUSED'), new Error('S3 request failed', { cause: withCode('ECONNRESET') })]) {
      const mapped = toDomainError(error);
      expect([mapped.code, mapped.httpStatus, mapped.details]).toEqual([
        ErrorCode.SERVICE_UNAVAILABLE,
        503,
        { retryAfterSeconds: 5 },
      ]);
    }
  });

  it('keeps every other failure internal, without its message', () => {
    for (const error of [new Error('secret detail'), withCode('ENOENT'), 'a string']) {
      const mapped = toDomainError(error);
      expect([mapped.code, mapped.message]).toEqual([ErrorCode.INTERNAL, 'Internal error']);
    }
  });
});

import { ERRORS } from '@tus/utils';
import { ErrorCode } from '@lexy/server-errors';
import { tusErrorToDomainError } from './tus-errors.js';

describe('tusErrorToDomainError', () => {
  it.each([
    [ERRORS.INVALID_OFFSET, ErrorCode.UPLOAD_OFFSET_MISMATCH, 409],
    [ERRORS.FILE_NOT_FOUND, ErrorCode.NOT_FOUND, 404],
    [ERRORS.FILE_NO_LONGER_EXISTS, ErrorCode.UPLOAD_EXPIRED, 410],
    [ERRORS.ERR_SIZE_EXCEEDED, ErrorCode.FILE_TOO_LARGE, 413],
    [ERRORS.INVALID_LENGTH, ErrorCode.VALIDATION_FAILED, 400],
    [ERRORS.UNSUPPORTED_CREATION_DEFER_LENGTH_EXTENSION, ErrorCode.VALIDATION_FAILED, 400],
    [{ status_code: 423, body: 'locked' }, ErrorCode.UPLOAD_LOCKED, 423],
  ])('maps tus %p to %s (%d)', (error, code, status) => {
    const mapped = tusErrorToDomainError(error);
    expect(mapped.code).toBe(code);
    expect(mapped.httpStatus).toBe(status);
  });

  it('hides anything else as INTERNAL', () => {
    expect(tusErrorToDomainError(new Error('socket hang up')).code).toBe(ErrorCode.INTERNAL);
    expect(tusErrorToDomainError(ERRORS.UNKNOWN_ERROR).code).toBe(ErrorCode.INTERNAL);
  });
});

import { DomainError, ErrorCode } from '@lexy/server-errors';
import {
  MAX_LIFECYCLE_BATCH,
  requireAfterKey,
  requireBatchLimit,
  requireIds,
  requireLeaseSeconds,
} from './lifecycle-request.js';

const ID = '0190f4a2-2222-7000-8000-000000000002';

function refusal(check: () => unknown): DomainError {
  try {
    check();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('lifecycle request fields', () => {
  it('takes limits from 1 to 1000', () => {
    expect(requireBatchLimit(1)).toBe(1);
    expect(requireBatchLimit(MAX_LIFECYCLE_BATCH)).toBe(1000);
    for (const limit of [0, -1, 1001, 1.5]) {
      expect(refusal(() => requireBatchLimit(limit))).toMatchObject({
        code: ErrorCode.VALIDATION_FAILED,
        details: { field: 'limit' },
      });
    }
  });

  it('takes leases of at least a second', () => {
    expect(requireLeaseSeconds(1)).toBe(1);
    for (const lease of [0, -5, 0.5]) {
      expect(refusal(() => requireLeaseSeconds(lease)).details).toEqual({ field: 'leaseSeconds' });
    }
  });

  it('takes ids as stored, once each, and refuses malformed ones', () => {
    expect(requireIds([ID.toUpperCase(), ID], 'fileIds')).toEqual([ID]);
    expect(requireIds([], 'fileIds')).toEqual([]);
    for (const id of ['', 'x', "1' OR '1'='1", `${ID} `]) {
      expect(refusal(() => requireIds([ID, id], 'uploadIds'))).toMatchObject({
        code: ErrorCode.VALIDATION_FAILED,
        details: { field: 'uploadIds' },
      });
    }
  });

  it('takes at most 1000 ids', () => {
    const ids = (count: number) => Array.from({ length: count }, () => ID);
    expect(requireIds(ids(1000), 'fileIds')).toEqual([ID]);
    expect(refusal(() => requireIds(ids(1001), 'fileIds')).code).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('takes printable ASCII keys to page after', () => {
    expect(requireAfterKey('')).toBe('');
    expect(requireAfterKey('files/01JDQZ8Y7W3M9K2V5X4T6R1P0N')).toBe('files/01JDQZ8Y7W3M9K2V5X4T6R1P0N');
    for (const key of ['files/é', 'a\u0000b', 'x'.repeat(1025)]) {
      expect(refusal(() => requireAfterKey(key)).details).toEqual({ field: 'afterKey' });
    }
  });
});

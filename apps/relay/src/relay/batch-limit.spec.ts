import { DomainError, ErrorCode } from '@lexy/server-errors';
import { batchLimit, MAX_MAINTENANCE_BATCH } from './batch-limit.js';

describe('batchLimit', () => {
  it.each([1, 500, MAX_MAINTENANCE_BATCH])('takes %d', (limit) => {
    expect(batchLimit(limit)).toBe(limit);
  });

  it.each([0, -1, 1.5, MAX_MAINTENANCE_BATCH + 1, Number.NaN])('refuses %d with VALIDATION_FAILED', (limit) => {
    const refuse = () => batchLimit(limit);
    expect(refuse).toThrow(DomainError);
    expect(refuse).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, details: { field: 'limit' } }));
  });
});

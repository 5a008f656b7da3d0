import { DomainError, ErrorCode } from '@lexy/server-errors';
import { pageLimit } from './page-limit.js';

describe('pageLimit', () => {
  it.each([
    [undefined, 50],
    [0, 50],
    [1, 1],
    [200, 200],
    [201, 200],
    [10_000, 200],
  ])('%p → %p', (requested, expected) => {
    expect(pageLimit(requested)).toBe(expected);
  });

  it.each([-1, 2.5])('refuses %p', (requested) => {
    expect(() => pageLimit(requested)).toThrow(DomainError);
    try {
      pageLimit(requested);
    } catch (error) {
      expect((error as DomainError).code).toBe(ErrorCode.VALIDATION_FAILED);
    }
  });
});

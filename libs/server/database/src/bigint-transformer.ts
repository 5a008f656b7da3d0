import type { ValueTransformer } from 'typeorm';

/**
 * For bigint columns of byte counts: mysql2 may hand a bigint over as a string, which must
 * never slip into arithmetic; counts stay far below 2^53, so a number is exact. NULL stays
 * NULL (it means "unlimited" in quota columns).
 */
export const bigintAsNumber: ValueTransformer = {
  from: (value: unknown) => (value === null || value === undefined ? null : Number(value)),
  to: (value: unknown) => value,
};

import type { ValueTransformer } from 'typeorm';

// mysql2 may hand a bigint over as a string; byte counts stay far below 2^53, so a
// number is exact. NULL stays NULL because it means "unlimited" in the groups table.
export const bigintTransformer: ValueTransformer = {
  from: (value: unknown) => (value === null || value === undefined ? null : Number(value)),
  to: (value: unknown) => value,
};

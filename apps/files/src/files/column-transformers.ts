import type { EntitySchemaColumnOptions } from 'typeorm';

/**
 * bigint columns come back from mysql2 as a number or, past 2^53, a string. Byte counts
 * stay far below that, but a string must never slip into arithmetic.
 */
export const bigintColumn: EntitySchemaColumnOptions = {
  type: 'bigint',
  transformer: {
    to: (value: number | null | undefined) => value,
    from: (value: string | number | null) => (value === null ? null : Number(value)),
  },
};

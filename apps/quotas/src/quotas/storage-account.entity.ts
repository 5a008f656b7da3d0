import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '@lexy/server-database';

/** One owner's storage counters; `reserved_bytes` is the sum of its open reservations. */
export interface StorageAccountEntity {
  ownerId: string;
  usedBytes: number;
  reservedBytes: number;
  updatedAt: Date;
}

export const StorageAccountSchema = new EntitySchema<StorageAccountEntity>({
  name: 'StorageAccount',
  tableName: 'storage_accounts',
  columns: {
    ownerId: { name: 'owner_id', type: 'varchar', length: 96, primary: true },
    usedBytes: { name: 'used_bytes', type: 'bigint', default: 0, transformer: bigintAsNumber },
    reservedBytes: { name: 'reserved_bytes', type: 'bigint', default: 0, transformer: bigintAsNumber },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});

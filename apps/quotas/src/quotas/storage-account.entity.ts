import { EntitySchema } from 'typeorm';
import { bigintTransformer } from './bigint.transformer.js';

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
    usedBytes: { name: 'used_bytes', type: 'bigint', default: 0, transformer: bigintTransformer },
    reservedBytes: { name: 'reserved_bytes', type: 'bigint', default: 0, transformer: bigintTransformer },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});

import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '@lexy/server-database';

/** The ledger: a settled file's bytes, counted in its owner's usage exactly once. */
export interface StoredFileEntity {
  fileId: string;
  ownerId: string;
  bytes: number;
  createdAt: Date;
}

export const StoredFileSchema = new EntitySchema<StoredFileEntity>({
  name: 'StoredFile',
  tableName: 'stored_files',
  columns: {
    fileId: { name: 'file_id', type: 'char', length: 36, primary: true },
    ownerId: { name: 'owner_id', type: 'varchar', length: 96 },
    bytes: { type: 'bigint', transformer: bigintAsNumber },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
  },
  indices: [{ name: 'idx_stored_files_owner_id', columns: ['ownerId'] }],
});

import { bigintAsNumber } from '@lexy/server-database';
import { EntitySchema } from 'typeorm';

/**
 * The upload ledger: files committed per UTC day and their bytes, counted in the commit's
 * transaction. Rows are never removed with the files, so purged uploads still count.
 */
export interface UploadDayEntity {
  /** "YYYY-MM-DD". */
  day: string;
  uploads: number;
  uploadBytes: number;
}

export const UploadDaySchema = new EntitySchema<UploadDayEntity>({
  name: 'UploadDay',
  tableName: 'upload_days',
  columns: {
    day: { type: 'date', primary: true },
    uploads: { type: 'bigint', transformer: bigintAsNumber },
    uploadBytes: { name: 'upload_bytes', type: 'bigint', transformer: bigintAsNumber },
  },
});

import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '@lexy/server-database';

/** An upload in flight: storage is reserved and the object key is fixed; bytes may still be streaming. */
export interface UploadEntity {
  id: string;
  ownerId: string;
  ownerGroup: string;
  name: string;
  mimeType: string;
  objectKey: string;
  reservationId: string;
  maxBytes: number | null;
  downloadLimit: number | null;
  /** argon2id hash of the upload's PIN, copied to the file at commit. */
  pinHash: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export const UploadSchema = new EntitySchema<UploadEntity>({
  name: 'Upload',
  tableName: 'uploads',
  columns: {
    id: { type: 'char', length: 36, primary: true },
    ownerId: { name: 'owner_id', type: 'varchar', length: 96 },
    ownerGroup: { name: 'owner_group', type: 'varchar', length: 32 },
    name: { type: 'varchar', length: 255 },
    mimeType: { name: 'mime_type', type: 'varchar', length: 255 },
    objectKey: { name: 'object_key', type: 'varchar', length: 64 },
    reservationId: { name: 'reservation_id', type: 'char', length: 36 },
    maxBytes: { name: 'max_bytes', type: 'bigint', transformer: bigintAsNumber, nullable: true },
    downloadLimit: { name: 'download_limit', type: 'int', nullable: true },
    pinHash: { name: 'pin_hash', type: 'varchar', length: 255, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    expiresAt: { name: 'expires_at', type: 'datetime', precision: 3 },
  },
});

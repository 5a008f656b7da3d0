import { bigintAsNumber } from '@lexy/server-database';
import { EntitySchema } from 'typeorm';
import type { TransferState } from './transfer-state-machine.js';

export type TransferModeName = 'relay' | 'p2p' | 'stored';

/** One declared file of a transfer, as stored in its `files` JSON array. */
export interface TransferFileEntity {
  name: string;
  sizeBytes: number;
  mimeType: string;
  /** A `stored` transfer's file only: the id of the account's file (files service) holding the bytes. */
  fileId?: string;
}

/**
 * A transfer session between two devices of one account. Its files are a JSON column rather
 * than a table of their own: the sender declares them once, they never change, they are always
 * read together with the transfer (a list page is one query, no join), and at most 100 small
 * entries fit one row easily. Progress is counted on the transfer (delivered_bytes).
 */
export interface TransferEntity {
  id: string;
  ownerId: string;
  fromDeviceId: string;
  toDeviceId: string;
  mode: TransferModeName;
  status: TransferState;
  files: TransferFileEntity[];
  totalBytes: number;
  deliveredBytes: number;
  /** Why a `failed` transfer failed (an envelope code such as CHECKSUM_MISMATCH). */
  failureCode: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** When a `pending` offer stops being answerable (created_at + RELAY_OFFER_TTL_SECONDS). */
  expiresAt: Date;
  /** The peer URL of the relay replica a `streaming` transfer's bytes enter through (ADR 0008). */
  streamReplica: string | null;
  /** Until when that replica holds the stream; past it, any replica may end it `failed`. */
  streamLeaseUntil: Date | null;
}

export const TransferSchema = new EntitySchema<TransferEntity>({
  name: 'Transfer',
  tableName: 'transfers',
  columns: {
    id: { type: 'char', length: 36, primary: true },
    ownerId: { name: 'owner_id', type: 'varchar', length: 96 },
    fromDeviceId: { name: 'from_device_id', type: 'char', length: 36 },
    toDeviceId: { name: 'to_device_id', type: 'char', length: 36 },
    mode: { type: 'enum', enum: ['relay', 'p2p', 'stored'] },
    status: {
      type: 'enum',
      enum: ['pending', 'accepted', 'streaming', 'completed', 'rejected', 'cancelled', 'failed', 'expired'],
    },
    files: { type: 'json' },
    totalBytes: { name: 'total_bytes', type: 'bigint', transformer: bigintAsNumber },
    deliveredBytes: { name: 'delivered_bytes', type: 'bigint', transformer: bigintAsNumber },
    failureCode: { name: 'failure_code', type: 'varchar', length: 64, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
    expiresAt: { name: 'expires_at', type: 'datetime', precision: 3 },
    streamReplica: { name: 'stream_replica', type: 'varchar', length: 255, nullable: true },
    streamLeaseUntil: { name: 'stream_lease_until', type: 'datetime', precision: 3, nullable: true },
  },
});

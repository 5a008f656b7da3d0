import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '@lexy/server-database';

/** Storage held for one upload in flight; `bytes` is NULL when no limit applies. */
export interface ReservationEntity {
  id: string;
  ownerId: string;
  bytes: number | null;
  createdAt: Date;
  expiresAt: Date;
}

export const ReservationSchema = new EntitySchema<ReservationEntity>({
  name: 'Reservation',
  tableName: 'reservations',
  columns: {
    id: { type: 'char', length: 36, primary: true },
    ownerId: { name: 'owner_id', type: 'varchar', length: 96 },
    bytes: { type: 'bigint', nullable: true, transformer: bigintAsNumber },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    expiresAt: { name: 'expires_at', type: 'datetime', precision: 3 },
  },
  indices: [
    { name: 'idx_reservations_owner_id', columns: ['ownerId'] },
    { name: 'idx_reservations_expires_at', columns: ['expiresAt'] },
  ],
});

import { EntitySchema } from 'typeorm';

/** A registered device of an account; presence is in Redis, not here (see Presence). */
export interface DeviceEntity {
  id: string;
  ownerId: string;
  name: string;
  /** The DevicePlatform number of relay.proto, never UNSPECIFIED. */
  platform: number;
  /** The client's own key for the device, unique per owner; re-registering it finds the device. */
  fingerprint: string | null;
  createdAt: Date;
  /** The last heartbeat; null until the device sends one. */
  lastSeenAt: Date | null;
}

export const DeviceSchema = new EntitySchema<DeviceEntity>({
  name: 'Device',
  tableName: 'devices',
  columns: {
    id: { type: 'char', length: 36, primary: true },
    ownerId: { name: 'owner_id', type: 'varchar', length: 96 },
    name: { type: 'varchar', length: 64 },
    platform: { type: 'tinyint', unsigned: true },
    fingerprint: { type: 'varchar', length: 128, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    lastSeenAt: { name: 'last_seen_at', type: 'datetime', precision: 3, nullable: true },
  },
});

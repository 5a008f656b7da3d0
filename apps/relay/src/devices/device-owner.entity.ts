import { EntitySchema } from 'typeorm';

/** An account that registered a device; its row is the lock of the account's device set. */
export interface DeviceOwnerEntity {
  ownerId: string;
}

export const DeviceOwnerSchema = new EntitySchema<DeviceOwnerEntity>({
  name: 'DeviceOwner',
  tableName: 'device_owners',
  columns: {
    ownerId: { name: 'owner_id', type: 'varchar', length: 96, primary: true },
  },
});

import type { SchemaDefinition } from '@lexy/server-database';
import { DeviceOwnerSchema } from '../devices/device-owner.entity.js';
import { DeviceSchema } from '../devices/device.entity.js';
import { TransferSchema } from '../transfers/transfer.entity.js';
import { CreateDevicesAndTransfers1796286480221 } from './migrations/1796286480221-CreateDevicesAndTransfers.js';
import { StreamLeases1796400000000 } from './migrations/1796400000000-StreamLeases.js';
import { StoredTransfers1796500000000 } from './migrations/1796500000000-StoredTransfers.js';

// Entities and migrations of lexy_relay; the only schema this service touches.
export const RELAY_SCHEMA: SchemaDefinition = {
  entities: [DeviceOwnerSchema, DeviceSchema, TransferSchema],
  migrations: [CreateDevicesAndTransfers1796286480221, StreamLeases1796400000000, StoredTransfers1796500000000],
};

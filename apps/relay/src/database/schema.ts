import type { SchemaDefinition } from '@lexy/server-database';
import { DeviceOwnerSchema } from '../devices/device-owner.entity.js';
import { DeviceSchema } from '../devices/device.entity.js';
import { TransferSchema } from '../transfers/transfer.entity.js';
import { CreateDevicesAndTransfers1796286480221 } from './migrations/1796286480221-CreateDevicesAndTransfers.js';

// Entities and migrations of lexy_relay; the only schema this service touches.
export const RELAY_SCHEMA: SchemaDefinition = {
  entities: [DeviceOwnerSchema, DeviceSchema, TransferSchema],
  migrations: [CreateDevicesAndTransfers1796286480221],
};

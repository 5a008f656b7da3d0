import { relayV1, toTimestamp } from '@lexy/contracts-grpc';
import type { DeviceEntity } from './device.entity.js';

/** A device as its account sees it; `online` comes from Presence. */
export function toDevice(entity: DeviceEntity, online: boolean): relayV1.Device {
  return {
    id: entity.id,
    name: entity.name,
    platform: entity.platform as relayV1.DevicePlatform,
    online,
    lastSeenAt: entity.lastSeenAt ? toTimestamp(entity.lastSeenAt) : undefined,
    createdAt: toTimestamp(entity.createdAt),
  };
}

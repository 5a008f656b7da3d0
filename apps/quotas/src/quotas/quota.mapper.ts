import { quotasV1 } from '@lexy/contracts-grpc';
import type { GroupEntity, TrafficWindowValue } from './group.entity.js';
import type { OwnerUsage } from './quota.service.js';

const { TrafficWindow } = quotasV1;

const TRAFFIC_WINDOWS: Record<TrafficWindowValue, quotasV1.TrafficWindow> = {
  day: TrafficWindow.TRAFFIC_WINDOW_DAY,
  month: TrafficWindow.TRAFFIC_WINDOW_MONTH,
};

// An unlimited value is left out of the message, never sent as 0.
const limit = (value: number | null): number | undefined => (value === null ? undefined : value);

export function toGroupLimits(group: GroupEntity): quotasV1.GroupLimits {
  return {
    group: group.name,
    downloadBytesPerSecond: limit(group.downloadBytesPerSecond),
    maxFileBytes: limit(group.maxFileBytes),
    storageBytes: limit(group.storageBytes),
    trafficBytes: limit(group.trafficBytes),
    trafficWindow: group.trafficWindow
      ? TRAFFIC_WINDOWS[group.trafficWindow]
      : TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED,
    retentionSeconds: limit(group.retentionSeconds),
  };
}

export function toUsage(usage: OwnerUsage): quotasV1.Usage {
  return {
    storageUsedBytes: usage.usedBytes,
    storageReservedBytes: usage.reservedBytes,
    trafficUsedBytes: usage.trafficUsedBytes,
  };
}

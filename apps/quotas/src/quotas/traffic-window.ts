import type { GroupEntity, TrafficWindowValue } from './group.entity.js';

/**
 * The window a group's traffic usage is reported over. A group without a traffic limit
 * (admin) still reports something useful: the current UTC day.
 */
export function trafficWindowOf(group: Pick<GroupEntity, 'trafficWindow'>): TrafficWindowValue {
  return group.trafficWindow ?? 'day';
}

import { quotasV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { GroupEntity, TrafficWindowValue } from '../quotas/group.entity.js';

// An admin's change of a group's limits (UpdateGroupLimits): checked against the bounds of
// docs/api.md § Admin, then planned against the group's current row. Limits are named as in
// the REST API (which are also GroupEntity's field names), in errors and in the audit log.

/** The whole-number range each limit may take; null (unlimited) is always allowed. */
export const LIMIT_BOUNDS = {
  downloadBytesPerSecond: { min: 1_000, max: 1e12 },
  maxFileBytes: { min: 1, max: 1e15 },
  storageBytes: { min: 1, max: 1e16 },
  trafficBytes: { min: 1, max: 1e16 },
  retentionSeconds: { min: 60, max: 315_360_000 },
} as const;

export type LimitName = keyof typeof LIMIT_BOUNDS;
const LIMIT_NAMES = Object.keys(LIMIT_BOUNDS) as LimitName[];

/** The limits a request sets: a number, or null for unlimited; absent ones keep their value. */
export interface RequestedLimits {
  values: Partial<Record<LimitName, number | null>>;
  trafficWindow?: TrafficWindowValue;
}

/** The limits a change touches, as they were and as they become. */
export type ChangedLimits = Partial<Pick<GroupEntity, LimitName | 'trafficWindow'>>;

export interface GroupChange {
  patch: ChangedLimits;
  before: ChangedLimits;
  after: ChangedLimits;
}

const WINDOWS: Partial<Record<quotasV1.TrafficWindow, TrafficWindowValue>> = {
  [quotasV1.TrafficWindow.TRAFFIC_WINDOW_DAY]: 'day',
  [quotasV1.TrafficWindow.TRAFFIC_WINDOW_MONTH]: 'month',
};

/** The request's limits, each checked on its own; VALIDATION_FAILED with `details.field` otherwise. */
export function parseLimitChanges(request: quotasV1.UpdateGroupLimitsRequest): RequestedLimits {
  const values: RequestedLimits['values'] = {};
  for (const name of LIMIT_NAMES) {
    // The wire gives an absent message as null, an absent optional value as undefined.
    const limit: quotasV1.LimitValue | null | undefined = request[name];
    if (limit === undefined || limit === null) continue;
    values[name] = limit.value === undefined || limit.value === null ? null : requireLimit(name, limit.value);
  }
  const requested: RequestedLimits = { values };
  const window = request.trafficWindow ?? quotasV1.TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED;
  if (window !== quotasV1.TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED) {
    const value = WINDOWS[window];
    if (!value) throw invalid('trafficWindow', 'The traffic window is "day" or "month"', { allowed: ['day', 'month'] });
    requested.trafficWindow = value;
  }
  return requested;
}

/**
 * What the request changes in `current`: only the limits whose value differs. A traffic limit
 * counts over a window and unlimited traffic has none (the groups table holds both or neither),
 * so making traffic unlimited drops the window, and a new traffic limit on a group without a
 * window needs one.
 */
export function planGroupChange(current: GroupEntity, requested: RequestedLimits): GroupChange {
  const next: GroupEntity = { ...current, ...requested.values };
  if (requested.trafficWindow) next.trafficWindow = requested.trafficWindow;
  if (next.trafficBytes === null) {
    if (requested.trafficWindow) throw invalid('trafficWindow', 'Unlimited traffic has no window');
    next.trafficWindow = null;
  } else if (next.trafficWindow === null) {
    throw invalid('trafficWindow', 'A traffic limit needs a window: "day" or "month"', { allowed: ['day', 'month'] });
  }

  const change: GroupChange = { patch: {}, before: {}, after: {} };
  for (const name of [...LIMIT_NAMES, 'trafficWindow'] as const) {
    if (next[name] === current[name]) continue;
    Object.assign(change.patch, { [name]: next[name] });
    Object.assign(change.before, { [name]: current[name] });
    Object.assign(change.after, { [name]: next[name] });
  }
  return change;
}

function requireLimit(name: LimitName, value: number): number {
  const { min, max } = LIMIT_BOUNDS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, `${name} must be a whole number from ${min} to ${max}, or unlimited`, { min, max });
  }
  return value;
}

function invalid(name: string, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { field: `limits.${name}`, ...details });
}

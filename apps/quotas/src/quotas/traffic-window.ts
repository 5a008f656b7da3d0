import type { GroupEntity, TrafficWindowValue } from './group.entity.js';

/**
 * The window a group's traffic usage is reported over. A group without a traffic limit
 * (admin) still reports something useful: the current UTC day.
 */
export function trafficWindowOf(group: Pick<GroupEntity, 'trafficWindow'>): TrafficWindowValue {
  return group.trafficWindow ?? 'day';
}

/** One concrete traffic window: the UTC day or calendar month that contains a moment. */
export interface TrafficPeriod {
  window: TrafficWindowValue;
  /** First UTC day of the window, `YYYY-MM-DD`. */
  firstDay: string;
  /** The UTC day of the moment itself, `YYYY-MM-DD`. */
  today: string;
  /** When the next window begins: 00:00:00 UTC of the next day, or of the 1st of the next month. */
  resetsAtMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of the UTC day containing `ms`. */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * QR-02's one rule: windows are UTC; a day window resets at 00:00:00 UTC, a month window
 * at 00:00:00 UTC on the 1st. No local time and no daylight saving time anywhere.
 */
export function trafficPeriodAt(window: TrafficWindowValue, nowMs: number): TrafficPeriod {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const date = now.getUTCDate();
  const today = utcDay(nowMs);
  if (window === 'day') return { window, firstDay: today, today, resetsAtMs: Date.UTC(year, month, date + 1) };
  return { window, firstDay: utcDay(Date.UTC(year, month, 1)), today, resetsAtMs: Date.UTC(year, month + 1, 1) };
}

/** Whole seconds until the window resets, at least 1 (a Retry-After of 0 invites a busy loop). */
export function secondsUntilReset(period: TrafficPeriod, nowMs: number): number {
  return Math.max(1, Math.ceil((period.resetsAtMs - nowMs) / 1000));
}

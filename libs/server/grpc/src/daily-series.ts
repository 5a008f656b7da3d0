import type { commonV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';

// The per-day series of the admin statistics (GetUserStats, GetTrafficStats…): one entry per
// UTC day, oldest first, ending today, with the days nothing happened filled with zeros.

export const DEFAULT_SERIES_DAYS = 30;
export const MAX_SERIES_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `days` of a stats request: 0 means the default of 30, else 1-90. */
export function seriesDays(requested: number | undefined): number {
  const days = requested ?? 0;
  if (!Number.isInteger(days) || days < 0 || days > MAX_SERIES_DAYS) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `days must be a whole number from 1 to ${MAX_SERIES_DAYS}`, {
      field: 'days',
    });
  }
  return days || DEFAULT_SERIES_DAYS;
}

/** The UTC days (`YYYY-MM-DD`) of a series of `days` ending on the day of `nowMs`, oldest first. */
export function seriesDayNames(days: number, nowMs: number): string[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/** What happened on one day; absent figures count as 0. */
export interface DayFigures {
  count?: number;
  bytes?: number;
}

/** One DailyCount per day of `dayNames`, in their order, zero where `figures` has nothing. */
export function dailySeries(
  dayNames: readonly string[],
  figures: ReadonlyMap<string, DayFigures>,
): commonV1.DailyCount[] {
  return dayNames.map((day) => ({ day, count: figures.get(day)?.count ?? 0, bytes: figures.get(day)?.bytes ?? 0 }));
}

/** The windows of the traffic allowance (docs/api.md "Groups and their limits"): always UTC. */
export type TrafficWindow = 'day' | 'month';

/**
 * When the current traffic window ends and the allowance starts again: the next midnight UTC
 * for a day window, midnight UTC on the 1st of the next month for a month window.
 */
export function nextTrafficReset(window: TrafficWindow, now: Date = new Date()): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return window === 'day'
    ? new Date(Date.UTC(year, month, now.getUTCDate() + 1))
    : new Date(Date.UTC(year, month + 1, 1));
}

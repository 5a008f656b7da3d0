import { secondsUntilReset, trafficPeriodAt, trafficWindowOf, utcDay } from './traffic-window.js';

const at = (iso: string) => Date.parse(iso);

describe('trafficWindowOf', () => {
  it('uses the group window when the group has a traffic limit', () => {
    expect(trafficWindowOf({ trafficWindow: 'day' })).toBe('day');
    expect(trafficWindowOf({ trafficWindow: 'month' })).toBe('month');
  });

  it('falls back to the current day when the group has no traffic limit', () => {
    expect(trafficWindowOf({ trafficWindow: null })).toBe('day');
  });
});

describe('traffic periods (QR-02: UTC windows, reset at 00:00:00 UTC and on the 1st)', () => {
  it('a day window half a second before midnight resets at midnight, Retry-After 1', () => {
    const now = at('2026-03-14T23:59:59.500Z');
    const period = trafficPeriodAt('day', now);
    expect(period).toEqual({
      window: 'day',
      firstDay: '2026-03-14',
      today: '2026-03-14',
      resetsAtMs: at('2026-03-15T00:00:00.000Z'),
    });
    expect(secondsUntilReset(period, now)).toBe(1);
  });

  it('at 00:00:00.000 UTC a new day window has begun, a full day from its reset', () => {
    const now = at('2026-03-15T00:00:00.000Z');
    const period = trafficPeriodAt('day', now);
    expect(period.firstDay).toBe('2026-03-15');
    expect(secondsUntilReset(period, now)).toBe(86_400);
  });

  it('rounds a partial second up, so a client that waits Retry-After is past the reset', () => {
    const now = at('2026-03-14T12:00:00.001Z');
    expect(secondsUntilReset(trafficPeriodAt('day', now), now)).toBe(12 * 3600);
  });

  it('a month window on the last second of a month resets on the 1st, also across a year end', () => {
    const now = at('2026-12-31T23:59:59.000Z');
    const period = trafficPeriodAt('month', now);
    expect(period).toEqual({
      window: 'month',
      firstDay: '2026-12-01',
      today: '2026-12-31',
      resetsAtMs: at('2027-01-01T00:00:00.000Z'),
    });
    expect(secondsUntilReset(period, now)).toBe(1);
  });

  it('handles short months and leap days', () => {
    expect(trafficPeriodAt('month', at('2028-02-29T10:00:00Z'))).toMatchObject({
      firstDay: '2028-02-01',
      resetsAtMs: at('2028-03-01T00:00:00Z'),
    });
    expect(trafficPeriodAt('month', at('2027-02-28T23:59:59.999Z')).resetsAtMs).toBe(at('2027-03-01T00:00:00Z'));
    const first = at('2026-04-01T00:00:00.000Z');
    expect(trafficPeriodAt('month', first).firstDay).toBe('2026-04-01');
    expect(secondsUntilReset(trafficPeriodAt('month', first), first)).toBe(30 * 86_400);
  });

  it('ignores daylight saving time: the windows around a European DST change are 24 h long', () => {
    // 2026-03-29 is the day Central Europe moves its clocks forward.
    const now = at('2026-03-29T00:30:00Z');
    expect(secondsUntilReset(trafficPeriodAt('day', now), now)).toBe(23.5 * 3600);
  });

  it('names UTC days', () => {
    expect(utcDay(at('2026-01-01T00:00:00Z') - 1)).toBe('2025-12-31');
    expect(utcDay(at('2026-01-01T00:00:00Z'))).toBe('2026-01-01');
  });
});

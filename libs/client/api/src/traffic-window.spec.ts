import { formatSpeed } from './format.js';
import { nextTrafficReset } from './traffic-window.js';

describe('nextTrafficReset', () => {
  it('ends a day window at the next midnight UTC', () => {
    expect(nextTrafficReset('day', new Date('2026-03-14T23:59:59.999Z')).toISOString()).toBe(
      '2026-03-15T00:00:00.000Z',
    );
    expect(nextTrafficReset('day', new Date('2026-03-15T00:00:00.000Z')).toISOString()).toBe(
      '2026-03-16T00:00:00.000Z',
    );
  });

  it('ends a month window at midnight UTC on the 1st, across the year', () => {
    expect(nextTrafficReset('month', new Date('2026-02-28T12:00:00Z')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(nextTrafficReset('month', new Date('2026-12-31T23:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('formatSpeed', () => {
  it('says bytes per second in decimal units', () => {
    expect(formatSpeed(8_000_000)).toBe('8 MB/s');
    expect(formatSpeed(1_500)).toBe('1.5 KB/s');
  });
});

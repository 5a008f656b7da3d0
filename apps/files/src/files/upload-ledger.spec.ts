import { dailySeries, seriesStart, utcDay } from './upload-ledger.js';

describe('upload ledger', () => {
  it('names the UTC day of an instant, whatever the local time zone', () => {
    expect(utcDay(new Date('2026-12-01T23:59:59.999Z'))).toBe('2026-12-01');
    expect(utcDay(new Date('2026-12-02T00:00:00.000Z'))).toBe('2026-12-02');
  });

  it('starts a series days - 1 days before today, across months and leap days', () => {
    expect(seriesStart('2026-12-01', 1)).toBe('2026-12-01');
    expect(seriesStart('2026-12-01', 30)).toBe('2026-11-02');
    expect(seriesStart('2028-03-01', 2)).toBe('2028-02-29');
  });

  it('gives one entry per day, oldest first and today last, zero where the ledger has no row', () => {
    const series = dailySeries('2026-12-03', 5, [
      { day: '2026-12-03', uploads: 2, uploadBytes: 300 },
      { day: '2026-11-30', uploads: 1, uploadBytes: 10 },
    ]);
    expect(series).toEqual([
      { day: '2026-11-29', count: 0, bytes: 0 },
      { day: '2026-11-30', count: 1, bytes: 10 },
      { day: '2026-12-01', count: 0, bytes: 0 },
      { day: '2026-12-02', count: 0, bytes: 0 },
      { day: '2026-12-03', count: 2, bytes: 300 },
    ]);
  });

  it('leaves out rows outside the series', () => {
    expect(dailySeries('2026-12-03', 1, [{ day: '2026-12-02', uploads: 9, uploadBytes: 9 }])).toEqual([
      { day: '2026-12-03', count: 0, bytes: 0 },
    ]);
  });
});

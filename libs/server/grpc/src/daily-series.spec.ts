import { DomainError, ErrorCode } from '@lexy/server-errors';
import { dailySeries, seriesDayNames, seriesDays } from './daily-series.js';

describe('seriesDays', () => {
  it.each([
    [undefined, 30],
    [0, 30],
    [1, 1],
    [90, 90],
  ])('%p → %p', (requested, expected) => {
    expect(seriesDays(requested)).toBe(expected);
  });

  it.each([-1, 91, 1.5, Number.NaN])('refuses %p with VALIDATION_FAILED on days', (requested) => {
    const error = (() => {
      try {
        seriesDays(requested);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.VALIDATION_FAILED);
    expect((error as DomainError).details).toEqual({ field: 'days' });
  });
});

describe('seriesDayNames', () => {
  it('ends on the UTC day of the moment, oldest first', () => {
    expect(seriesDayNames(3, Date.UTC(2026, 2, 1, 23, 59, 59, 999))).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    expect(seriesDayNames(1, Date.UTC(2026, 2, 1, 0, 0, 0))).toEqual(['2026-03-01']);
  });

  it('crosses a year and a leap day', () => {
    expect(seriesDayNames(2, Date.UTC(2027, 0, 1, 5))).toEqual(['2026-12-31', '2027-01-01']);
    expect(seriesDayNames(2, Date.UTC(2028, 2, 1, 5))).toEqual(['2028-02-29', '2028-03-01']);
  });
});

describe('dailySeries', () => {
  it('fills the days without figures with zeros and keeps the order of the days', () => {
    const figures = new Map([
      ['2026-02-28', { count: 2 }],
      ['2026-03-01', { bytes: 7 }],
      ['2026-01-01', { count: 99 }],
    ]);
    expect(dailySeries(['2026-02-27', '2026-02-28', '2026-03-01'], figures)).toEqual([
      { day: '2026-02-27', count: 0, bytes: 0 },
      { day: '2026-02-28', count: 2, bytes: 0 },
      { day: '2026-03-01', count: 0, bytes: 7 },
    ]);
  });
});

import { fromTimestamp, toTimestamp } from './timestamp.js';

describe('timestamps', () => {
  it('round-trips dates to the millisecond, before and after 1970', () => {
    for (const iso of ['2026-11-25T11:49:09.123Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z']) {
      const date = new Date(iso);
      expect(fromTimestamp(toTimestamp(date))?.toISOString()).toBe(iso);
    }
    expect(toTimestamp(new Date('1969-12-31T23:59:59.999Z'))).toEqual({ seconds: -1, nanos: 999_000_000 });
  });

  it('keeps an absent timestamp absent', () => {
    expect(fromTimestamp(undefined)).toBeUndefined();
  });
});

import { utcDay } from './upload-ledger.js';

describe('upload ledger', () => {
  it('names the UTC day of an instant, whatever the local time zone', () => {
    expect(utcDay(new Date('2026-12-01T23:59:59.999Z'))).toBe('2026-12-01');
    expect(utcDay(new Date('2026-12-02T00:00:00.000Z'))).toBe('2026-12-02');
  });
});

import { ApiError } from './api-error.js';
import { describeError } from './describe-error.js';
import {
  ENGLISH_UNIT_TEXTS,
  formatBytes,
  formatDuration,
  formatSpeed,
  useUnitTexts,
  type UnitTexts,
} from './format.js';

describe('formatBytes, formatDuration and formatSpeed', () => {
  afterEach(() => useUnitTexts(ENGLISH_UNIT_TEXTS));

  it('say sizes in decimal units with one decimal below 100', () => {
    expect([0, 999, 1_536_000, 123_456_789, 5e9, 2e15].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.5 MB',
      '123 MB',
      '5 GB',
      '2000 TB',
    ]);
    expect(formatSpeed(8_000_000)).toBe('8 MB/s');
  });

  it('say durations in the largest units that matter', () => {
    expect([0.2, 45, 125, 600, 3600, 3725, 6 * 3600, 5 * 86_400].map(formatDuration)).toEqual([
      '1 s',
      '45 s',
      '2 min 5 s',
      '10 min',
      '1 h',
      '1 h 2 min',
      '6 h',
      '5 days',
    ]);
  });

  it('use the unit texts an app hands over, in error sentences too', () => {
    const french: UnitTexts = {
      number: (value, digits) => ENGLISH_UNIT_TEXTS.number(value, digits).replace('.', ','),
      bytes: (amount, unit) => `${amount} ${unit.replace('B', 'o')}`,
      perSecond: (size) => `${size}/s`,
      seconds: (count) => `${count} s`,
      minutes: (count) => `${count} min`,
      hours: (count) => `${count} h`,
      days: (count) => `${count} jours`,
      join: (larger, smaller) => `${larger} et ${smaller}`,
    };
    useUnitTexts(french);
    expect(formatBytes(1_536_000)).toBe('1,5 Mo');
    expect(formatDuration(3725)).toBe('1 h et 2 min');
    expect(formatDuration(3 * 86_400)).toBe('3 jours');
    const limited = new ApiError(429, 'RATE_LIMITED', 'slow down', {}, 3725);
    expect(describeError(limited)).toContain('1 h et 2 min');
  });
});

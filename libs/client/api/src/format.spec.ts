import { ApiError } from './api-error.js';
import { describeError } from './describe-error.js';
import {
  BYTES_PER_UNIT,
  ENGLISH_UNIT_TEXTS,
  fitUnit,
  formatBytes,
  formatDuration,
  formatLimit,
  formatNumber,
  formatSpeed,
  fromUnitAmount,
  SECONDS_PER_UNIT,
  toUnitAmount,
  unitName,
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
      unlimited: () => 'Illimité',
      unitName: (unit) =>
        ({ minutes: 'minutes', hours: 'heures', days: 'jours' })[unit as string] ?? unit.replace('B', 'o'),
    };
    useUnitTexts(french);
    expect(formatBytes(1_536_000)).toBe('1,5 Mo');
    expect(formatDuration(3725)).toBe('1 h et 2 min');
    expect(formatDuration(3 * 86_400)).toBe('3 jours');
    const limited = new ApiError(429, 'RATE_LIMITED', 'slow down', {}, 3725);
    expect(describeError(limited)).toContain('1 h et 2 min');
    expect(formatLimit(null, formatBytes)).toBe('Illimité');
    expect([unitName('GB'), unitName('MB', true), unitName('hours')]).toEqual(['Go', 'Mo/s', 'heures']);
  });
});

describe('limits in the units people enter them in', () => {
  const SIZES = { MB: BYTES_PER_UNIT.MB, GB: BYTES_PER_UNIT.GB };

  it('say null as Unlimited, anything else as its format says it', () => {
    expect(formatLimit(null, formatSpeed)).toBe('Unlimited');
    expect(formatLimit(8e6, formatSpeed)).toBe('8 MB/s');
    expect([unitName('GB'), unitName('MB', true), unitName('days')]).toEqual(['GB', 'MB/s', 'days']);
  });

  it('choose the largest unit that says a value as a whole number, else one it is at least one of', () => {
    expect(fitUnit(2e9, SIZES)).toBe('GB');
    expect(fitUnit(1.5e9, SIZES)).toBe('MB');
    expect(fitUnit(1_234_567, SIZES)).toBe('MB');
    expect(fitUnit(1000, SIZES)).toBe('MB');
    expect([60, 900, 6 * 3600, 5 * 86_400, 90, 36 * 3600].map((s) => fitUnit(s, SECONDS_PER_UNIT))).toEqual([
      'minutes',
      'minutes',
      'hours',
      'days',
      'minutes',
      'hours',
    ]);
  });

  it('turn amounts in a unit into whole bytes and seconds and back without drift', () => {
    expect(fromUnitAmount(1.5, BYTES_PER_UNIT.GB)).toBe(1_500_000_000);
    expect(fromUnitAmount(1.1, BYTES_PER_UNIT.GB)).toBe(1_100_000_000);
    expect(fromUnitAmount(0.001, BYTES_PER_UNIT.MB)).toBe(1000);
    expect(fromUnitAmount(15, SECONDS_PER_UNIT.minutes)).toBe(900);
    for (const bytes of [1, 999, 1_234_567, 3e6, 5e9, 1e16]) {
      const unit = fitUnit(bytes, SIZES);
      expect(fromUnitAmount(toUnitAmount(bytes, SIZES[unit]), SIZES[unit])).toBe(bytes);
    }
    expect(toUnitAmount(21_600, SECONDS_PER_UNIT.hours)).toBe(6);
  });

  it('say a bound as a plain number without trailing zeros', () => {
    expect([formatNumber(0.001), formatNumber(1e6), formatNumber(2.5, 1), formatNumber(1 / 3, 2)]).toEqual([
      '0.001',
      '1000000',
      '2.5',
      '0.33',
    ]);
  });
});

export type ByteUnit = 'B' | 'KB' | 'MB' | 'GB' | 'TB';
const BYTE_UNITS: ByteUnit[] = ['B', 'KB', 'MB', 'GB', 'TB'];
/** The units a limit's duration is entered in (the shortest retention is a minute). */
export type DurationUnit = 'minutes' | 'hours' | 'days';

/** Decimal, as the limits are documented (docs/api.md: MB and GB are 10^6 and 10^9 bytes). */
export const BYTES_PER_UNIT: Readonly<Record<ByteUnit, number>> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
export const SECONDS_PER_UNIT: Readonly<Record<DurationUnit, number>> = { minutes: 60, hours: 3600, days: 86_400 };

/**
 * The words and number style of sizes and durations. English by default; an app with a
 * translation framework hands its own to useUnitTexts once at start-up (the web app passes
 * Angular i18n's), so every size and duration it shows — in error sentences too — is translatable.
 */
export interface UnitTexts {
  /** A number with at most `digits` decimals, in the locale's style ("1.5", "1,5"). */
  number(value: number, digits: number): string;
  /** An amount (already formatted) with its byte unit: "1.5 MB". */
  bytes(amount: string, unit: ByteUnit): string;
  /** A speed from an amount of bytes: "8 MB" → "8 MB/s". */
  perSecond(size: string): string;
  seconds(count: number): string;
  minutes(count: number): string;
  hours(count: number): string;
  days(count: number): string;
  /** Two parts of one duration: "1 h" and "2 min" → "1 h 2 min". */
  join(larger: string, smaller: string): string;
  /** What a limit of null says: "Unlimited". */
  unlimited(): string;
  /** A unit on its own, as a form names the unit of a number field: "GB", "hours". */
  unitName(unit: ByteUnit | DurationUnit): string;
}

export const ENGLISH_UNIT_TEXTS: UnitTexts = {
  number: (value, digits) =>
    value
      .toFixed(digits)
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, ''),
  bytes: (amount, unit) => `${amount} ${unit}`,
  perSecond: (size) => `${size}/s`,
  seconds: (count) => `${count} s`,
  minutes: (count) => `${count} min`,
  hours: (count) => `${count} h`,
  days: (count) => `${count} days`,
  join: (larger, smaller) => `${larger} ${smaller}`,
  unlimited: () => 'Unlimited',
  unitName: (unit) => unit,
};

let texts: UnitTexts = ENGLISH_UNIT_TEXTS;

/** Sets the unit words for every later formatBytes, formatDuration and formatSpeed. */
export function useUnitTexts(unitTexts: UnitTexts): void {
  texts = unitTexts;
}

/** Bytes in decimal units, as people read them on a disk label: 1536000 → "1.5 MB". */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return texts.bytes(texts.number(value, digits), BYTE_UNITS[unit] ?? 'TB');
}

/** A span of seconds in the largest units that matter: 45 → "45 s", 3725 → "1 h 2 min". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  if (seconds < 60) return texts.seconds(seconds);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return seconds % 60 === 0 || minutes >= 10
      ? texts.minutes(minutes)
      : texts.join(texts.minutes(minutes), texts.seconds(seconds % 60));
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return minutes % 60 === 0 ? texts.hours(hours) : texts.join(texts.hours(hours), texts.minutes(minutes % 60));
  }
  return texts.days(Math.floor(hours / 24));
}

/** A download speed in the same decimal units: 8000000 → "8 MB/s". */
export function formatSpeed(bytesPerSecond: number): string {
  return texts.perSecond(formatBytes(bytesPerSecond));
}

/** A plain number in the app's style, with at most `digits` decimals: 0.001 → "0.001", 1e6 → "1,000,000" where that is the style. */
export function formatNumber(value: number, digits = 6): string {
  return texts.number(value, digits);
}

/** A limit in words, "Unlimited" for null: formatLimit(8e6, formatSpeed) → "8 MB/s". */
export function formatLimit(value: number | null, format: (value: number) => string): string {
  return value === null ? texts.unlimited() : format(value);
}

/** A unit's name in the app's words, for a form's unit choice: "MB", "MB/s" (perSecond), "hours". */
export function unitName(unit: ByteUnit | DurationUnit, perSecond = false): string {
  const name = texts.unitName(unit);
  return perSecond ? texts.perSecond(name) : name;
}

/** A whole number of base units (bytes, seconds) as an amount of `perUnit`: 1.5e9 bytes in GB → 1.5. */
export function toUnitAmount(base: number, perUnit: number): number {
  return base / perUnit;
}

/**
 * The whole number of base units an amount entered in a unit stands for: 1.5 GB → 1_500_000_000
 * bytes (rounded to the nearest byte or second, as the API takes whole numbers).
 */
export function fromUnitAmount(amount: number, perUnit: number): number {
  return Math.round(amount * perUnit);
}

/**
 * The unit to show a value in, of those offered (each with its size in base units): the
 * largest that says it as a whole number (6 h, not 0.25 days), else the largest it is at least
 * one of, else the smallest. fitUnit(1.5e9, {MB, GB}) → MB (1500), fitUnit(2e9, …) → GB.
 */
export function fitUnit<Unit extends string>(base: number, units: Readonly<Partial<Record<Unit, number>>>): Unit {
  const bySize = (Object.entries(units) as [Unit, number][]).sort(([, a], [, b]) => b - a);
  const whole = bySize.find(([, size]) => base >= size && Number.isInteger(base / size));
  const atLeastOne = bySize.find(([, size]) => base >= size);
  return (whole ?? atLeastOne ?? bySize[bySize.length - 1]!)[0];
}

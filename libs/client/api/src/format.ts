export type ByteUnit = 'B' | 'KB' | 'MB' | 'GB' | 'TB';
const BYTE_UNITS: ByteUnit[] = ['B', 'KB', 'MB', 'GB', 'TB'];

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
}

export const ENGLISH_UNIT_TEXTS: UnitTexts = {
  number: (value, digits) => value.toFixed(digits).replace(/\.0+$/, ''),
  bytes: (amount, unit) => `${amount} ${unit}`,
  perSecond: (size) => `${size}/s`,
  seconds: (count) => `${count} s`,
  minutes: (count) => `${count} min`,
  hours: (count) => `${count} h`,
  days: (count) => `${count} days`,
  join: (larger, smaller) => `${larger} ${smaller}`,
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

import type { ByteUnit, DurationUnit, UnitTexts } from '@lexy/client-api';

/** The locale of the loaded translation (none in the source build, which is English). */
const locale = () => $localize.locale ?? 'en-US';

/** Sizes and durations through Angular i18n, so that translations can say them their way. */
export const LOCALIZED_UNIT_TEXTS: UnitTexts = {
  number: (value, digits) => new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value),
  bytes: (amount, unit) => $localize`:@@unit.bytes:${amount}:amount: ${unit}:unit:`,
  perSecond: (size) => $localize`:@@unit.perSecond:${size}:size:/s`,
  seconds: (count) => $localize`:@@unit.seconds:${count}:count: s`,
  minutes: (count) => $localize`:@@unit.minutes:${count}:count: min`,
  hours: (count) => $localize`:@@unit.hours:${count}:count: h`,
  days: (count) => $localize`:@@unit.days:${count}:count: days`,
  join: (larger, smaller) => $localize`:@@unit.join:${larger}:larger: ${smaller}:smaller:`,
  unlimited: () => $localize`:@@unit.unlimited:Unlimited`,
  unitName: (unit) => unitName(unit),
};

function unitName(unit: ByteUnit | DurationUnit): string {
  switch (unit) {
    case 'minutes':
      return $localize`:@@unit.name.minutes:minutes`;
    case 'hours':
      return $localize`:@@unit.name.hours:hours`;
    case 'days':
      return $localize`:@@unit.name.days:days`;
    default:
      // A byte unit on its own, as `bytes` shows it after an amount.
      return $localize`:@@unit.name.bytes:${unit}:unit:`;
  }
}

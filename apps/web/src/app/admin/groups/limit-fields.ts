import {
  BYTES_PER_UNIT,
  SECONDS_PER_UNIT,
  fitUnit,
  formatNumber,
  fromUnitAmount,
  toUnitAmount,
  unitName,
  type ByteUnit,
  type DurationUnit,
  type LimitsView,
} from '@lexy/client-api';

export type LimitKey = Exclude<keyof LimitsView, 'trafficWindow'>;
type Unit = ByteUnit | DurationUnit;

/** One number of a group's limits as the editor shows it: its words, units and the API's bounds. */
export interface LimitSpec {
  key: LimitKey;
  label: () => string;
  /** The units offered, each with its size in the API's unit (bytes, bytes per second, seconds). */
  units: Readonly<Partial<Record<Unit, number>>>;
  /** A speed: the units read "MB/s". */
  perSecond: boolean;
  /** The API's bounds in its own unit (docs/api.md, PATCH /admin/groups/:name). */
  min: number;
  max: number;
  /** The unit an unlimited value starts in when it becomes limited. */
  defaultUnit: Unit;
}

const SIZES = { MB: BYTES_PER_UNIT.MB, GB: BYTES_PER_UNIT.GB };

export const LIMIT_SPECS: readonly LimitSpec[] = [
  {
    key: 'downloadBytesPerSecond',
    label: () => $localize`:@@admin.limit.speed:Download speed`,
    units: { MB: BYTES_PER_UNIT.MB },
    perSecond: true,
    min: 1000,
    max: 1e12,
    defaultUnit: 'MB',
  },
  {
    key: 'maxFileBytes',
    label: () => $localize`:@@admin.limit.file:Largest file`,
    units: SIZES,
    perSecond: false,
    min: 1,
    max: 1e15,
    defaultUnit: 'GB',
  },
  {
    key: 'storageBytes',
    label: () => $localize`:@@admin.limit.storage:Storage`,
    units: SIZES,
    perSecond: false,
    min: 1,
    max: 1e16,
    defaultUnit: 'GB',
  },
  {
    key: 'trafficBytes',
    label: () => $localize`:@@admin.limit.traffic:Download traffic`,
    units: SIZES,
    perSecond: false,
    min: 1,
    max: 1e16,
    defaultUnit: 'GB',
  },
  {
    key: 'retentionSeconds',
    label: () => $localize`:@@admin.limit.retention:Files are kept for`,
    units: SECONDS_PER_UNIT,
    perSecond: false,
    min: 60,
    max: 315_360_000,
    defaultUnit: 'hours',
  },
];

/** What the editor holds for one limit: the text typed, in its unit, or unlimited. */
export interface LimitDraft {
  unlimited: boolean;
  amount: string;
  unit: Unit;
}

export type LimitDrafts = Record<LimitKey, LimitDraft>;

/** The unit's words in the editor: "MB/s", "GB", "hours". */
export function unitLabel(spec: LimitSpec, unit: Unit): string {
  return unitName(unit, spec.perSecond);
}

export function unitsOf(spec: LimitSpec): Unit[] {
  return Object.keys(spec.units) as Unit[];
}

/** A saved value as the editor starts from it: 21600 s → "6" hours, 1.5e9 bytes → "1500" MB. */
export function draftOf(spec: LimitSpec, value: number | null): LimitDraft {
  if (value === null) return { unlimited: true, amount: '', unit: spec.defaultUnit };
  const unit = fitUnit(value, spec.units);
  return { unlimited: false, amount: String(toUnitAmount(value, spec.units[unit]!)), unit };
}

export function draftsOf(limits: LimitsView): LimitDrafts {
  return Object.fromEntries(LIMIT_SPECS.map((spec) => [spec.key, draftOf(spec, limits[spec.key])])) as LimitDrafts;
}

/** The API's bounds said in the unit chosen: "Enter an amount from 1 to 5256000 minutes." */
export function rangeText(spec: LimitSpec, unit: Unit): string {
  const perUnit = spec.units[unit]!;
  const smallest = toUnitAmount(spec.min, perUnit);
  const max = formatNumber(toUnitAmount(spec.max, perUnit));
  const name = unitLabel(spec, unit);
  // A byte in GB says "0" in six decimals: then the bound is "above 0".
  if (formatNumber(smallest) === formatNumber(0)) {
    return $localize`:@@admin.limit.rangeAboveZero:Enter an amount above 0 and up to ${max}:max: ${name}:unit:.`;
  }
  const min = formatNumber(smallest);
  return $localize`:@@admin.limit.range:Enter an amount from ${min}:min: to ${max}:max: ${name}:unit:.`;
}

export type ParsedLimit = { ok: true; value: number | null } | { ok: false; problem: string };

/**
 * The draft as the API's value (a whole number of bytes or seconds, or null), or why it cannot
 * be: no number, or one outside the bounds, checked as the server checks them.
 */
export function parseDraft(spec: LimitSpec, draft: LimitDraft): ParsedLimit {
  if (draft.unlimited) return { ok: true, value: null };
  const text = draft.amount.trim();
  const amount = Number(text);
  if (text === '' || !Number.isFinite(amount)) return { ok: false, problem: rangeText(spec, draft.unit) };
  const value = fromUnitAmount(amount, spec.units[draft.unit]!);
  if (value < spec.min || value > spec.max) return { ok: false, problem: rangeText(spec, draft.unit) };
  return { ok: true, value };
}

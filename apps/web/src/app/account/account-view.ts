import {
  formatBytes,
  formatDuration,
  formatLimit,
  formatSpeed,
  nextTrafficReset,
  type LimitsView,
  type MeResponse,
  type UserView,
} from '@lexy/client-api';

/** One limit of the group, in words: "Largest file" — "2 GB". */
export interface LimitRow {
  label: string;
  value: string;
}

/** A meter's numbers and its words ("1.2 GB of 10 GB"); no max when the allowance is unlimited. */
export interface Usage {
  label: string;
  value: number;
  max: number | null;
  text: string;
}

export interface TrafficUsage extends Usage {
  /** When the window starts again, in words ("at midnight UTC"), and as a moment. */
  resets: string;
  resetsAt: Date;
}

export function groupName(group: UserView['group']): string {
  switch (group) {
    case 'anonymous':
      return $localize`:@@account.groupAnonymous:Anonymous (no account)`;
    case 'normal':
      return $localize`:@@account.groupNormal:Normal`;
    case 'vip':
      return $localize`:@@account.groupVip:VIP`;
    case 'admin':
      return $localize`:@@account.groupAdmin:Administrator`;
  }
}

function trafficLimit(limits: LimitsView): string {
  if (limits.trafficBytes === null) return formatLimit(null, formatBytes);
  const amount = formatBytes(limits.trafficBytes);
  return limits.trafficWindow === 'month'
    ? $localize`:@@account.trafficPerMonth:${amount}:amount: per month`
    : $localize`:@@account.trafficPerDay:${amount}:amount: per day`;
}

export function limitRows(limits: LimitsView): LimitRow[] {
  return [
    {
      label: $localize`:@@account.limitSpeed:Download speed`,
      value: formatLimit(limits.downloadBytesPerSecond, formatSpeed),
    },
    { label: $localize`:@@account.limitFile:Largest file`, value: formatLimit(limits.maxFileBytes, formatBytes) },
    { label: $localize`:@@account.limitStorage:Storage`, value: formatLimit(limits.storageBytes, formatBytes) },
    { label: $localize`:@@account.limitTraffic:Download traffic`, value: trafficLimit(limits) },
    {
      label: $localize`:@@account.limitRetention:Files are kept for`,
      value: formatLimit(limits.retentionSeconds, formatDuration),
    },
  ];
}

function usageText(used: number, max: number | null): string {
  const usedText = formatBytes(used);
  return max === null
    ? $localize`:@@account.usedUnlimited:${usedText}:used: (no limit)`
    : $localize`:@@account.usedOf:${usedText}:used: of ${formatBytes(max)}:max:`;
}

/** Stored files plus uploads in flight: both count against the storage limit. */
export function storageUsage({ quota }: MeResponse): Usage {
  const used = quota.usage.storageBytes + quota.usage.reservedBytes;
  return {
    label: $localize`:@@account.storageUsed:Storage used`,
    value: used,
    max: quota.limits.storageBytes,
    text: usageText(used, quota.limits.storageBytes),
  };
}

/** The traffic of the current window: today's or this month's (UTC), and when it resets. */
export function trafficUsage({ quota }: MeResponse, now = new Date()): TrafficUsage {
  const month = quota.limits.trafficWindow === 'month';
  return {
    label: month
      ? $localize`:@@account.trafficMonth:Downloads this month`
      : $localize`:@@account.trafficToday:Downloads today`,
    value: quota.usage.trafficBytes,
    max: quota.limits.trafficBytes,
    text: usageText(quota.usage.trafficBytes, quota.limits.trafficBytes),
    resets: month
      ? $localize`:@@account.resetsMonth:Resets at midnight UTC on the 1st of the month`
      : $localize`:@@account.resetsDay:Resets at midnight UTC`,
    resetsAt: nextTrafficReset(month ? 'month' : 'day', now),
  };
}

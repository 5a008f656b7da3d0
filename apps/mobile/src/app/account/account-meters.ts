import {
  formatBytes,
  formatDuration,
  formatLimit,
  formatSpeed,
  nextTrafficReset,
  type MeResponse,
  type UserView,
} from '@lexy/client-api';

/** One line of the account screen: what it is, its words, and how full it is (0–1) when it has a limit. */
export interface Meter {
  /** Stable name for the screen's hooks (`meter-storage`…). */
  id: 'storage' | 'traffic' | 'max-file' | 'retention' | 'speed';
  label: string;
  text: string;
  /** The share used, for a progress bar; null for a limit with nothing used against it, or no limit. */
  fraction: number | null;
  /** Something more to know, such as when traffic resets. */
  note?: string;
}

export function groupName(group: UserView['group']): string {
  switch (group) {
    case 'anonymous':
      return $localize`:@@mobile.account.groupAnonymous:Anonymous (no account)`;
    case 'normal':
      return $localize`:@@mobile.account.groupNormal:Normal`;
    case 'vip':
      return $localize`:@@mobile.account.groupVip:VIP`;
    case 'admin':
      return $localize`:@@mobile.account.groupAdmin:Administrator`;
  }
}

function usedOf(used: number, max: number | null): Pick<Meter, 'text' | 'fraction'> {
  const usedText = formatBytes(used);
  if (max === null)
    return { text: $localize`:@@mobile.account.usedUnlimited:${usedText}:used: (no limit)`, fraction: null };
  return {
    text: $localize`:@@mobile.account.usedOf:${usedText}:used: of ${formatBytes(max)}:max:`,
    // A limit of zero is used up from the start.
    fraction: max === 0 ? 1 : Math.min(1, used / max),
  };
}

/**
 * The account's meters: storage (stored plus uploads in flight, both count), the current traffic
 * window's downloads (today or this month, UTC) and when it resets, and the group's limits on a
 * single file, on how long files are kept, and on download speed.
 */
export function accountMeters({ quota }: MeResponse, now = new Date()): Meter[] {
  const { limits, usage } = quota;
  const monthly = limits.trafficWindow === 'month';
  const resetsAt = nextTrafficReset(monthly ? 'month' : 'day', now);
  return [
    {
      id: 'storage',
      label: $localize`:@@mobile.account.storage:Storage`,
      ...usedOf(usage.storageBytes + usage.reservedBytes, limits.storageBytes),
    },
    {
      id: 'traffic',
      label: monthly
        ? $localize`:@@mobile.account.trafficMonth:Downloads this month`
        : $localize`:@@mobile.account.trafficToday:Downloads today`,
      ...usedOf(usage.trafficBytes, limits.trafficBytes),
      note:
        limits.trafficBytes === null
          ? undefined
          : $localize`:@@mobile.account.resets:Resets ${resetsAt.toLocaleString()}:when:`,
    },
    {
      id: 'max-file',
      label: $localize`:@@mobile.account.maxFile:Largest file`,
      text: formatLimit(limits.maxFileBytes, formatBytes),
      fraction: null,
    },
    {
      id: 'retention',
      label: $localize`:@@mobile.account.retention:Files are kept for`,
      text: formatLimit(limits.retentionSeconds, formatDuration),
      fraction: null,
    },
    {
      id: 'speed',
      label: $localize`:@@mobile.account.speed:Download speed`,
      text: formatLimit(limits.downloadBytesPerSecond, formatSpeed),
      fraction: null,
    },
  ];
}

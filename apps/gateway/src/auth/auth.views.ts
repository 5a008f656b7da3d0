import { authV1, fromTimestamp, quotasV1 } from '@lexy/contracts-grpc';
import type { LimitsView, SessionResponse, UserView } from './auth.dto.js';

export function toUserView(user: authV1.User | undefined): UserView {
  return {
    id: user?.id ?? '',
    email: user?.email || null,
    displayName: user?.displayName || null,
    group: user?.group ?? '',
    createdAt: fromTimestamp(user?.createdAt ?? undefined)?.toISOString() ?? new Date(0).toISOString(),
  };
}

export function toSessionResponse(session: authV1.AuthSession | undefined): SessionResponse {
  return {
    user: toUserView(session?.user),
    accessToken: session?.accessToken ?? '',
    refreshToken: session?.refreshToken ?? '',
    expiresIn: session?.expiresIn ?? 0,
  };
}

const WINDOWS: Record<number, 'day' | 'month'> = {
  [quotasV1.TrafficWindow.TRAFFIC_WINDOW_DAY]: 'day',
  [quotasV1.TrafficWindow.TRAFFIC_WINDOW_MONTH]: 'month',
};

export function toLimitsView(limits: quotasV1.GroupLimits | undefined): LimitsView {
  const value = (n: number | undefined | null) => (n === undefined || n === null ? null : n);
  return {
    downloadBytesPerSecond: value(limits?.downloadBytesPerSecond),
    maxFileBytes: value(limits?.maxFileBytes),
    storageBytes: value(limits?.storageBytes),
    trafficBytes: value(limits?.trafficBytes),
    trafficWindow: WINDOWS[limits?.trafficWindow ?? 0] ?? null,
    retentionSeconds: value(limits?.retentionSeconds),
  };
}

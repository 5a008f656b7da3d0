import { quotasV1, type commonV1 } from '@lexy/contracts-grpc';
import { toUpdateGroupLimits } from './admin-groups.controller.js';
import { joinSeries } from './admin-stats.controller.js';

describe('toUpdateGroupLimits', () => {
  it('sends only the limits present: a number, or null as unlimited', () => {
    expect(toUpdateGroupLimits('vip', { retentionSeconds: 3600, storageBytes: null, trafficWindow: 'month' })).toEqual({
      group: 'vip',
      downloadBytesPerSecond: undefined,
      maxFileBytes: undefined,
      storageBytes: { value: undefined },
      trafficBytes: undefined,
      trafficWindow: quotasV1.TrafficWindow.TRAFFIC_WINDOW_MONTH,
      retentionSeconds: { value: 3600 },
    });
    expect(toUpdateGroupLimits('vip', {}).trafficWindow).toBe(quotasV1.TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED);
  });
});

describe('joinSeries', () => {
  const day = (d: string, count: number, bytes: number): commonV1.DailyCount => ({ day: d, count, bytes });

  it('puts the three services’ days side by side, oldest first, missing ones as zero', () => {
    expect(
      joinSeries(
        [day('2026-12-02', 2, 200), day('2026-12-03', 1, 100)],
        [day('2026-12-03', 0, 5000)],
        [day('2026-12-01', 4, 0)],
      ),
    ).toEqual([
      { day: '2026-12-01', uploads: 0, uploadBytes: 0, downloadBytes: 0, newUsers: 4 },
      { day: '2026-12-02', uploads: 2, uploadBytes: 200, downloadBytes: 0, newUsers: 0 },
      { day: '2026-12-03', uploads: 1, uploadBytes: 100, downloadBytes: 5000, newUsers: 0 },
    ]);
  });
});

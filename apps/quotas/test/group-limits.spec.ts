import { quotasV1 } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import { expectDomainError, startQuotas, type QuotasHarness } from './support/quotas-harness.js';

const { TrafficWindow } = quotasV1;

let harness: QuotasHarness;

beforeAll(async () => {
  harness = await startQuotas();
});

afterAll(() => harness?.close());

// The defaults table of api.md, MB and GB decimal.
const EXPECTED: Record<string, Omit<quotasV1.GroupLimits, 'group'>> = {
  anonymous: {
    downloadBytesPerSecond: 3_000_000,
    maxFileBytes: 500_000_000,
    storageBytes: 2_000_000_000,
    trafficBytes: 1_000_000_000,
    trafficWindow: TrafficWindow.TRAFFIC_WINDOW_DAY,
    retentionSeconds: 15 * 60,
  },
  normal: {
    downloadBytesPerSecond: 8_000_000,
    maxFileBytes: 2_000_000_000,
    storageBytes: 10_000_000_000,
    trafficBytes: 5_000_000_000,
    trafficWindow: TrafficWindow.TRAFFIC_WINDOW_DAY,
    retentionSeconds: 6 * 60 * 60,
  },
  vip: {
    downloadBytesPerSecond: 15_000_000,
    maxFileBytes: 5_000_000_000,
    storageBytes: 40_000_000_000,
    trafficBytes: 500_000_000_000,
    trafficWindow: TrafficWindow.TRAFFIC_WINDOW_MONTH,
    retentionSeconds: 5 * 24 * 60 * 60,
  },
  admin: { trafficWindow: TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED },
};

// The fields of a limits message that are really present (the client also exposes proto3
// `optional` presence markers such as `_maxFileBytes`).
function presentLimits(limits: quotasV1.GroupLimits | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(limits ?? {}).filter(([key, value]) => !key.startsWith('_') && value !== undefined),
  );
}

describe('GetGroupLimits', () => {
  it.each(Object.keys(EXPECTED))('returns the seeded api.md limits of %s', async (group) => {
    const { limits } = await harness.client.getGroupLimits({ group });
    expect(presentLimits(limits)).toEqual({ group, ...EXPECTED[group] });
  });

  it('seeds exactly the four groups', async () => {
    const rows: { name: string }[] = await harness.db.query('SELECT name FROM `groups` ORDER BY name');
    expect(rows.map((row) => row.name)).toEqual(['admin', 'anonymous', 'normal', 'vip']);
  });

  it('leaves every limit of admin absent rather than zero', async () => {
    const { limits } = await harness.client.getGroupLimits({ group: 'admin' });
    expect(limits?.maxFileBytes).toBeUndefined();
    expect(limits?.storageBytes).toBeUndefined();
    expect(limits?.downloadBytesPerSecond).toBeUndefined();
    expect(limits?.trafficBytes).toBeUndefined();
    expect(limits?.retentionSeconds).toBeUndefined();
  });

  it('answers NOT_FOUND for an unknown group and VALIDATION_FAILED for none', async () => {
    await expectDomainError(harness.client.getGroupLimits({ group: 'platinum' }), ErrorCode.NOT_FOUND);
    await expectDomainError(harness.client.getGroupLimits({ group: '' }), ErrorCode.VALIDATION_FAILED);
  });
});

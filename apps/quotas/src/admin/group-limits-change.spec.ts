import { quotasV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { GroupEntity } from '../quotas/group.entity.js';
import { LIMIT_BOUNDS, parseLimitChanges, planGroupChange, type LimitName } from './group-limits-change.js';

const { TrafficWindow } = quotasV1;

const request = (fields: Partial<quotasV1.UpdateGroupLimitsRequest> = {}): quotasV1.UpdateGroupLimitsRequest => ({
  group: 'normal',
  downloadBytesPerSecond: undefined,
  maxFileBytes: undefined,
  storageBytes: undefined,
  trafficBytes: undefined,
  trafficWindow: TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED,
  retentionSeconds: undefined,
  ...fields,
});

const normal: GroupEntity = {
  name: 'normal',
  downloadBytesPerSecond: 8_000_000,
  maxFileBytes: 2_000_000_000,
  storageBytes: 10_000_000_000,
  trafficBytes: 5_000_000_000,
  trafficWindow: 'day',
  retentionSeconds: 21_600,
};
const admin: GroupEntity = {
  name: 'admin',
  downloadBytesPerSecond: null,
  maxFileBytes: null,
  storageBytes: null,
  trafficBytes: null,
  trafficWindow: null,
  retentionSeconds: null,
};

function refusal(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.details['field'] };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseLimitChanges', () => {
  const names = Object.keys(LIMIT_BOUNDS) as LimitName[];

  it.each(names)('%s: its bounds and unlimited pass', (name) => {
    const { min, max } = LIMIT_BOUNDS[name];
    for (const value of [min, max, Math.floor((min + max) / 2)]) {
      expect(parseLimitChanges(request({ [name]: { value } })).values).toEqual({ [name]: value });
    }
    expect(parseLimitChanges(request({ [name]: {} })).values).toEqual({ [name]: null });
    // How the wire hands over an absent value.
    expect(parseLimitChanges(request({ [name]: { value: null as unknown as number } })).values).toEqual({
      [name]: null,
    });
  });

  it.each(names)('%s: below, above, negative, fractional and not-a-number values fail', (name) => {
    const { min, max } = LIMIT_BOUNDS[name];
    for (const value of [min - 1, max + 2, 0, -1, -max, min + 0.5, 1e3 + 1e-3, Number.NaN, Infinity, -Infinity]) {
      expect(refusal(() => parseLimitChanges(request({ [name]: { value } })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: `limits.${name}`,
      });
    }
    expect(refusal(() => parseLimitChanges(request({ [name]: { value: '5' as unknown as number } })))).toEqual({
      code: ErrorCode.VALIDATION_FAILED,
      field: `limits.${name}`,
    });
  });

  it('leaves absent limits (undefined or null on the wire) and an unspecified window alone', () => {
    expect(parseLimitChanges(request())).toEqual({ values: {} });
    expect(parseLimitChanges(request({ maxFileBytes: null as unknown as undefined }))).toEqual({ values: {} });
  });

  it('reads the window, and refuses one it does not know', () => {
    expect(parseLimitChanges(request({ trafficWindow: TrafficWindow.TRAFFIC_WINDOW_MONTH })).trafficWindow).toBe(
      'month',
    );
    expect(parseLimitChanges(request({ trafficWindow: TrafficWindow.TRAFFIC_WINDOW_DAY })).trafficWindow).toBe('day');
    expect(refusal(() => parseLimitChanges(request({ trafficWindow: 7 as quotasV1.TrafficWindow })))).toEqual({
      code: ErrorCode.VALIDATION_FAILED,
      field: 'limits.trafficWindow',
    });
  });
});

describe('planGroupChange', () => {
  it('touches only the limits whose value changes, named as in the REST API', () => {
    expect(
      planGroupChange(normal, {
        values: { maxFileBytes: 3_000_000_000, retentionSeconds: 21_600, storageBytes: null },
      }),
    ).toEqual({
      patch: { maxFileBytes: 3_000_000_000, storageBytes: null },
      before: { maxFileBytes: 2_000_000_000, storageBytes: 10_000_000_000 },
      after: { maxFileBytes: 3_000_000_000, storageBytes: null },
    });
    expect(planGroupChange(normal, { values: {}, trafficWindow: 'day' })).toEqual({ patch: {}, before: {}, after: {} });
  });

  it('drops the window with the traffic limit', () => {
    expect(planGroupChange(normal, { values: { trafficBytes: null } })).toEqual({
      patch: { trafficBytes: null, trafficWindow: null },
      before: { trafficBytes: 5_000_000_000, trafficWindow: 'day' },
      after: { trafficBytes: null, trafficWindow: null },
    });
  });

  it('needs a window for a new traffic limit, and a limit for a window', () => {
    const needsWindow = { code: ErrorCode.VALIDATION_FAILED, field: 'limits.trafficWindow' };
    expect(refusal(() => planGroupChange(admin, { values: { trafficBytes: 10 } }))).toEqual(needsWindow);
    expect(refusal(() => planGroupChange(admin, { values: {}, trafficWindow: 'month' }))).toEqual(needsWindow);
    expect(refusal(() => planGroupChange(normal, { values: { trafficBytes: null }, trafficWindow: 'month' }))).toEqual(
      needsWindow,
    );
    expect(planGroupChange(admin, { values: { trafficBytes: 10 }, trafficWindow: 'month' }).after).toEqual({
      trafficBytes: 10,
      trafficWindow: 'month',
    });
  });
});

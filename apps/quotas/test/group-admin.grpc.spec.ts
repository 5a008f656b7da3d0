// The admin console's GroupAdminService over the real gRPC server, a real MariaDB database and a real Redis.
import { randomBytes, randomUUID } from 'node:crypto';
import { quotasV1 } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import { serviceCaller, signCallerToken } from '@lexy/server-grpc';
import { Clock } from '../src/quotas/clock.js';
import {
  actingAs,
  CALLER_SECRET,
  caller,
  expectDomainError,
  newOwnerId,
  startQuotas,
  type GroupAdminClient,
  type QuotasHarness,
} from './support/quotas-harness.js';

const { TrafficWindow } = quotasV1;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Real time plus an offset the tests move, to cross days and months. */
class MovableClock extends Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  moveTo(isoTime: string): void {
    this.offsetMs = Date.parse(isoTime) - Date.now();
  }
}

interface GroupRow {
  name: string;
  download_bytes_per_second: number | string | null;
  max_file_bytes: number | string | null;
  storage_bytes: number | string | null;
  traffic_bytes: number | string | null;
  traffic_window: string | null;
  retention_seconds: number | string | null;
}

interface AuditRow {
  id: string;
  actor_id: string;
  action: string;
  target: string;
  before_json: string;
  after_json: string;
  request_id: string;
}

const clock = new MovableClock();
let harness: QuotasHarness;
let seeded: GroupRow[];
const adminId = randomUUID();

beforeAll(async () => {
  harness = await startQuotas({ clock });
  seeded = await harness.db.query('SELECT * FROM `groups`');
});

afterAll(() => harness?.close());

// Audit rows cannot be deleted: each test looks only at the rows written since it began.
let earlierAuditIds = new Set<string>();
beforeEach(async () => {
  const rows: { id: string }[] = await harness.db.query('SELECT id FROM audit_log');
  earlierAuditIds = new Set(rows.map((row) => row.id));
});

// Every test leaves the groups as the seed made them.
afterEach(async () => {
  clock.offsetMs = 0;
  for (const row of seeded) {
    await harness.db.query(
      `UPDATE \`groups\` SET download_bytes_per_second = ?, max_file_bytes = ?, storage_bytes = ?, traffic_bytes = ?,
         traffic_window = ?, retention_seconds = ? WHERE name = ?`,
      [
        row.download_bytes_per_second,
        row.max_file_bytes,
        row.storage_bytes,
        row.traffic_bytes,
        row.traffic_window,
        row.retention_seconds,
        row.name,
      ],
    );
  }
});

const asAdmin = (requestId = 'quotas-admin-test'): GroupAdminClient =>
  actingAs(harness.groupAdmin, signCallerToken(caller(adminId, 'admin'), CALLER_SECRET), requestId);

/** An UpdateGroupLimits request that changes nothing but what `fields` name. */
const update = (group: string, fields: Partial<quotasV1.UpdateGroupLimitsRequest> = {}) => ({
  group,
  downloadBytesPerSecond: undefined,
  maxFileBytes: undefined,
  storageBytes: undefined,
  trafficBytes: undefined,
  trafficWindow: TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED,
  retentionSeconds: undefined,
  ...fields,
});
const limitOf = (value: number | undefined): quotasV1.LimitValue => (value === undefined ? {} : { value });

const groupRow = async (name: string): Promise<GroupRow | undefined> =>
  ((await harness.db.query('SELECT * FROM `groups` WHERE name = ?', [name])) as GroupRow[])[0];
/** The audit rows of `target` written by the current test, oldest first. */
const auditRows = async (target: string): Promise<AuditRow[]> =>
  ((await harness.db.query('SELECT * FROM audit_log WHERE target = ? ORDER BY at, id', [target])) as AuditRow[]).filter(
    (row) => !earlierAuditIds.has(row.id),
  );
/** The fields of a limits message that are really present (not the `_field` presence markers). */
const presentLimits = (limits: quotasV1.GroupLimits | undefined): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(limits ?? {}).filter(([key, value]) => !key.startsWith('_') && value !== undefined),
  );

describe('who may call', () => {
  const calls: Record<string, (client: GroupAdminClient) => Promise<unknown>> = {
    listGroups: (client) => client.listGroups({}),
    updateGroupLimits: (client) => client.updateGroupLimits(update('vip', { maxFileBytes: { value: 1 } })),
    getTrafficStats: (client) => client.getTrafficStats({ days: 0 }),
    listAudit: (client) => client.listAudit({ page: undefined }),
  };

  it.each(Object.keys(calls))('%s refuses anyone but an admin user', async (method) => {
    const call = calls[method]!;
    const signed = (token: string) => actingAs(harness.groupAdmin, token);
    await expectDomainError(call(harness.groupAdmin), ErrorCode.UNAUTHENTICATED);
    await expectDomainError(
      call(signed(signCallerToken(caller(adminId, 'admin'), 'another-secret-0123456789abcdef'))),
      ErrorCode.UNAUTHENTICATED,
    );
    for (const group of ['normal', 'vip', 'anonymous', 'Admin']) {
      await expectDomainError(
        call(signed(signCallerToken(caller(adminId, group), CALLER_SECRET))),
        ErrorCode.ADMIN_REQUIRED,
      );
    }
    // Only users are admins: not an address or fingerprint, not a platform service.
    for (const kind of [2, 3]) {
      const token = signCallerToken({ ownerId: 'ip:203.0.113.7', group: 'admin', kind }, CALLER_SECRET);
      await expectDomainError(call(signed(token)), ErrorCode.ADMIN_REQUIRED);
    }
    await expectDomainError(
      call(signed(signCallerToken(serviceCaller('cleanup'), CALLER_SECRET))),
      ErrorCode.ADMIN_REQUIRED,
    );

    expect(Number((await groupRow('vip'))?.max_file_bytes)).toBe(5_000_000_000);
    expect(await auditRows('group:vip')).toEqual([]);
  });
});

describe('ListGroups', () => {
  it('lists every group in the order anonymous, normal, vip, admin, with the limits GetGroupLimits gives', async () => {
    const { items } = await asAdmin().listGroups({});
    expect(items.map((group) => group.group)).toEqual(['anonymous', 'normal', 'vip', 'admin']);
    for (const group of items) {
      const { limits } = await harness.client.getGroupLimits({ group: group.group });
      expect(presentLimits(group)).toEqual(presentLimits(limits));
    }
    expect(presentLimits(items[3])).toEqual({
      group: 'admin',
      trafficWindow: TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED,
    });
  });
});

describe('UpdateGroupLimits validation', () => {
  // Just above the top of storage and traffic, 10^16 + 1 is not a float64; 10^16 + 2 is the next one.
  const BOUNDS: Array<[keyof quotasV1.UpdateGroupLimitsRequest & string, string, number, number, number]> = [
    ['downloadBytesPerSecond', 'download_bytes_per_second', 1_000, 1e12, 1e12 + 1],
    ['maxFileBytes', 'max_file_bytes', 1, 1e15, 1e15 + 1],
    ['storageBytes', 'storage_bytes', 1, 1e16, 1e16 + 2],
    ['trafficBytes', 'traffic_bytes', 1, 1e16, 1e16 + 2],
    ['retentionSeconds', 'retention_seconds', 60, 315_360_000, 315_360_001],
  ];

  it.each(BOUNDS)(
    '%s takes its lowest and highest values, nothing outside them',
    async (field, column, min, max, above) => {
      const stored = async () => (await groupRow('normal'))?.[column as keyof GroupRow];
      const seededValue = await stored();
      for (const value of [min - 1, 0, -1, -min, above]) {
        const error = await expectDomainError(
          asAdmin().updateGroupLimits(update('normal', { [field]: limitOf(value) })),
          ErrorCode.VALIDATION_FAILED,
        );
        expect(error.details).toMatchObject({ field: `limits.${field}`, min, max });
        expect(await stored()).toEqual(seededValue);
      }
      expect(await auditRows('group:normal')).toEqual([]);

      for (const value of [min, max]) {
        const { limits } = await asAdmin().updateGroupLimits(update('normal', { [field]: limitOf(value) }));
        expect(limits?.[field as keyof quotasV1.GroupLimits]).toBe(value);
        expect(Number(await stored())).toBe(value);
        expect(
          (await harness.client.getGroupLimits({ group: 'normal' })).limits?.[field as keyof quotasV1.GroupLimits],
        ).toBe(value);
      }
    },
  );

  it('changes nothing when one of several values is out of bounds', async () => {
    const before = await groupRow('vip');
    await expectDomainError(
      asAdmin().updateGroupLimits(
        update('vip', { maxFileBytes: { value: 5 }, storageBytes: { value: 7 }, retentionSeconds: { value: 59 } }),
      ),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(await groupRow('vip')).toEqual(before);
    expect(await auditRows('group:vip')).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown group and VALIDATION_FAILED for none, writing nothing', async () => {
    const error = await expectDomainError(
      asAdmin().updateGroupLimits(update('platinum', { maxFileBytes: { value: 5 } })),
      ErrorCode.NOT_FOUND,
    );
    expect(error.details).toMatchObject({ group: 'platinum' });
    const none = await expectDomainError(
      asAdmin().updateGroupLimits(update('', { maxFileBytes: { value: 5 } })),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(none.details).toEqual({ field: 'group' });
    await expectDomainError(asAdmin().updateGroupLimits(update('x'.repeat(33))), ErrorCode.VALIDATION_FAILED);
    expect(
      await harness.db.query('SELECT * FROM audit_log WHERE target IN (?, ?)', ['group:platinum', 'group:']),
    ).toEqual([]);
    expect(await harness.db.query('SELECT name FROM `groups` ORDER BY name')).toHaveLength(4);
  });

  it('refuses an unknown traffic window', async () => {
    const error = await expectDomainError(
      asAdmin().updateGroupLimits(update('normal', { trafficWindow: 9 as quotasV1.TrafficWindow })),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(error.details).toMatchObject({ field: 'limits.trafficWindow' });
  });

  it('keeps a traffic limit and its window together', async () => {
    // admin has unlimited traffic: a limit needs a window, a window needs a limit.
    const withoutWindow = await expectDomainError(
      asAdmin().updateGroupLimits(update('admin', { trafficBytes: { value: 1_000 } })),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(withoutWindow.details).toMatchObject({ field: 'limits.trafficWindow' });
    const windowOnly = await expectDomainError(
      asAdmin().updateGroupLimits(update('admin', { trafficWindow: TrafficWindow.TRAFFIC_WINDOW_DAY })),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(windowOnly.details).toMatchObject({ field: 'limits.trafficWindow' });
    const unlimitedWithWindow = await expectDomainError(
      asAdmin().updateGroupLimits(
        update('normal', { trafficBytes: {}, trafficWindow: TrafficWindow.TRAFFIC_WINDOW_MONTH }),
      ),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(unlimitedWithWindow.details).toMatchObject({ field: 'limits.trafficWindow' });
    expect(await auditRows('group:admin')).toEqual([]);
    expect(await auditRows('group:normal')).toEqual([]);

    const limited = await asAdmin().updateGroupLimits(
      update('admin', { trafficBytes: { value: 1_000 }, trafficWindow: TrafficWindow.TRAFFIC_WINDOW_MONTH }),
    );
    expect(presentLimits(limited.limits)).toEqual({
      group: 'admin',
      trafficBytes: 1_000,
      trafficWindow: TrafficWindow.TRAFFIC_WINDOW_MONTH,
    });
    // Making traffic unlimited again drops the window with it.
    const unlimited = await asAdmin().updateGroupLimits(update('admin', { trafficBytes: {} }));
    expect(presentLimits(unlimited.limits)).toEqual({
      group: 'admin',
      trafficWindow: TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED,
    });
    const [, last] = await auditRows('group:admin');
    expect(JSON.parse(last!.before_json)).toEqual({ trafficBytes: 1_000, trafficWindow: 'month' });
    expect(JSON.parse(last!.after_json)).toEqual({ trafficBytes: null, trafficWindow: null });
  });
});

describe('UpdateGroupLimits', () => {
  it('round-trips unlimited (an absent value) as NULL, and back to a number', async () => {
    const unlimited = await asAdmin().updateGroupLimits(update('vip', { storageBytes: {} }));
    expect(unlimited.limits?.storageBytes).toBeUndefined();
    expect((await groupRow('vip'))?.storage_bytes).toBeNull();
    expect((await harness.client.getGroupLimits({ group: 'vip' })).limits?.storageBytes).toBeUndefined();
    const listed = (await asAdmin().listGroups({})).items.find((group) => group.group === 'vip');
    expect(listed?.storageBytes).toBeUndefined();
    expect(listed?.maxFileBytes).toBe(5_000_000_000);

    const limited = await asAdmin().updateGroupLimits(update('vip', { storageBytes: { value: 123_456 } }));
    expect(limited.limits?.storageBytes).toBe(123_456);
    expect(Number((await groupRow('vip'))?.storage_bytes)).toBe(123_456);

    const rows = await auditRows('group:vip');
    expect(rows.map((row) => [JSON.parse(row.before_json), JSON.parse(row.after_json)])).toEqual([
      [{ storageBytes: 40_000_000_000 }, { storageBytes: null }],
      [{ storageBytes: null }, { storageBytes: 123_456 }],
    ]);
  });

  it('changes only the limits it names, keeps the window when unspecified, and records only what changed', async () => {
    const requestId = `req-${randomBytes(6).toString('hex')}`;
    const { limits } = await asAdmin(requestId).updateGroupLimits(
      update('normal', {
        maxFileBytes: { value: 3_000_000_000 },
        retentionSeconds: { value: 6 * 60 * 60 }, // its current value: not a change
        downloadBytesPerSecond: {},
      }),
    );
    expect(presentLimits(limits)).toEqual({
      group: 'normal',
      maxFileBytes: 3_000_000_000,
      storageBytes: 10_000_000_000,
      trafficBytes: 5_000_000_000,
      trafficWindow: TrafficWindow.TRAFFIC_WINDOW_DAY,
      retentionSeconds: 6 * 60 * 60,
    });

    const [row, ...more] = await auditRows('group:normal');
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      actor_id: adminId,
      action: 'group.update',
      target: 'group:normal',
      request_id: requestId,
    });
    expect(JSON.parse(row!.before_json)).toEqual({ downloadBytesPerSecond: 8_000_000, maxFileBytes: 2_000_000_000 });
    expect(JSON.parse(row!.after_json)).toEqual({ downloadBytesPerSecond: null, maxFileBytes: 3_000_000_000 });

    const monthly = await asAdmin().updateGroupLimits(
      update('normal', { trafficWindow: TrafficWindow.TRAFFIC_WINDOW_MONTH }),
    );
    expect(monthly.limits?.trafficWindow).toBe(TrafficWindow.TRAFFIC_WINDOW_MONTH);
    expect(monthly.limits?.trafficBytes).toBe(5_000_000_000);
    const last = (await auditRows('group:normal')).at(-1);
    expect([JSON.parse(last!.before_json), JSON.parse(last!.after_json)]).toEqual([
      { trafficWindow: 'day' },
      { trafficWindow: 'month' },
    ]);
  });

  it('writes no entry for a request that changes nothing', async () => {
    const empty = await asAdmin().updateGroupLimits(update('vip'));
    const same = await asAdmin().updateGroupLimits(
      update('vip', { retentionSeconds: { value: 5 * 86_400 }, trafficWindow: TrafficWindow.TRAFFIC_WINDOW_MONTH }),
    );
    const { limits } = await harness.client.getGroupLimits({ group: 'vip' });
    expect(presentLimits(empty.limits)).toEqual(presentLimits(limits));
    expect(presentLimits(same.limits)).toEqual(presentLimits(limits));
    expect(await auditRows('group:vip')).toEqual([]);
  });

  it('applies at once: GetGroupLimits and the next reservation see the new limit', async () => {
    await asAdmin().updateGroupLimits(update('normal', { maxFileBytes: { value: 10 } }));
    expect((await harness.client.getGroupLimits({ group: 'normal' })).limits?.maxFileBytes).toBe(10);
    const owner = newOwnerId();
    await expectDomainError(
      harness.as(owner, 'normal').reserveStorage({ requestedBytes: 11 }),
      ErrorCode.FILE_TOO_LARGE,
    );
    expect((await harness.as(owner, 'normal').reserveStorage({ requestedBytes: 10 })).reservedBytes).toBe(10);

    await asAdmin().updateGroupLimits(update('normal', { maxFileBytes: {} }));
    expect((await harness.client.getGroupLimits({ group: 'normal' })).limits?.maxFileBytes).toBeUndefined();
    expect((await harness.as(owner, 'normal').reserveStorage({ requestedBytes: 11 })).reservedBytes).toBe(11);
  });

  it('keeps the audit rows append-only', async () => {
    await asAdmin().updateGroupLimits(update('vip', { maxFileBytes: { value: 42 } }));
    const [row] = await auditRows('group:vip');
    await expect(harness.db.query("UPDATE audit_log SET after_json = '{}' WHERE id = ?", [row!.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(harness.db.query('DELETE FROM audit_log WHERE id = ?', [row!.id])).rejects.toThrow(/append-only/);
    expect(await auditRows('group:vip')).toEqual([row]);
  });

  it('keeps the change and its entry together: no entry, no change', async () => {
    await harness.db.query('RENAME TABLE audit_log TO audit_log_away');
    try {
      await expectDomainError(
        asAdmin().updateGroupLimits(update('vip', { maxFileBytes: { value: 42 } })),
        ErrorCode.INTERNAL,
      );
    } finally {
      await harness.db.query('RENAME TABLE audit_log_away TO audit_log');
    }
    expect(Number((await groupRow('vip'))?.max_file_bytes)).toBe(5_000_000_000);
  });
});

describe('ListAudit', () => {
  it("returns this service's entries newest first, in pages", async () => {
    for (const value of [1_001, 1_002, 1_003]) {
      await asAdmin(`audit-${value}`).updateGroupLimits(update('anonymous', { downloadBytesPerSecond: { value } }));
    }
    const first = await asAdmin().listAudit({ page: { limit: 2, cursor: '' } });
    expect(first.items.map((item) => [item.requestId, JSON.parse(item.afterJson)])).toEqual([
      ['audit-1003', { downloadBytesPerSecond: 1_003 }],
      ['audit-1002', { downloadBytesPerSecond: 1_002 }],
    ]);
    expect(first.items[0]).toMatchObject({ actorId: adminId, action: 'group.update', target: 'group:anonymous' });
    expect(first.nextCursor).not.toBe('');

    const newestFirst = (
      (await harness.db.query('SELECT id FROM audit_log ORDER BY at DESC, id DESC')) as AuditRow[]
    ).map((row) => row.id);
    const seen: string[] = [];
    let cursor = '';
    do {
      const response = await asAdmin().listAudit({ page: { limit: 2, cursor } });
      seen.push(...response.items.map((item) => item.id));
      cursor = response.nextCursor;
    } while (cursor !== '');
    expect(seen).toEqual(newestFirst);

    const error = await expectDomainError(
      asAdmin().listAudit({ page: { limit: 1, cursor: 'garbage!' } }),
      ErrorCode.VALIDATION_FAILED,
    );
    expect(error.details).toEqual({ field: 'cursor' });
  });
});

describe('GetTrafficStats', () => {
  it("sums every account's downloaded bytes today, this month and per UTC day, zero-filled", async () => {
    const [first, second, third] = [newOwnerId(), newOwnerId(), newOwnerId()];
    clock.moveTo('2100-02-27T10:00:00.000Z');
    await harness.as(first, 'normal').recordTraffic({ bytes: 100 });
    clock.moveTo('2100-03-01T23:59:59.000Z');
    await harness.as(second, 'admin').recordTraffic({ bytes: 2_000 });
    clock.moveTo('2100-03-02T00:00:00.000Z');
    // A download admitted against a limit counts what it really sent once it settles; one
    // still in flight counts nothing yet.
    const { reservationId } = await harness.as(first, 'normal').reserveTraffic({ bytes: 5_000 });
    await harness.as(first, 'normal').settleTraffic({ reservationId: reservationId ?? '', sentBytes: 3_000 });
    await harness.as(third, 'vip').reserveTraffic({ bytes: 7_000 });
    await harness.as(third, 'vip').recordTraffic({ bytes: 500 });

    clock.moveTo('2100-03-02T12:00:00.000Z');
    const stats = await asAdmin().getTrafficStats({ days: 5 });
    expect(stats).toEqual({
      todayBytes: 3_500,
      monthBytes: 5_500,
      downloads: [
        { day: '2100-02-26', count: 0, bytes: 0 },
        { day: '2100-02-27', count: 0, bytes: 100 },
        { day: '2100-02-28', count: 0, bytes: 0 },
        { day: '2100-03-01', count: 0, bytes: 2_000 },
        { day: '2100-03-02', count: 0, bytes: 3_500 },
      ],
    });

    // Seen from the 1st, February is another month and the 2nd has not happened.
    clock.moveTo('2100-03-01T08:00:00.000Z');
    const earlier = await asAdmin().getTrafficStats({ days: 2 });
    expect(earlier).toEqual({
      todayBytes: 2_000,
      monthBytes: 2_000,
      downloads: [
        { day: '2100-02-28', count: 0, bytes: 0 },
        { day: '2100-03-01', count: 0, bytes: 2_000 },
      ],
    });
  });

  it('gives 30 days by default, today (UTC) last; 1 to 90 on request', async () => {
    clock.moveTo('2100-06-15T12:00:00.000Z');
    const stats = await asAdmin().getTrafficStats({ days: 0 });
    expect(stats.downloads).toHaveLength(30);
    expect(stats.downloads.at(-1)?.day).toBe('2100-06-15');
    expect(stats.downloads[0]?.day).toBe(
      new Date(Date.parse('2100-06-15T00:00:00Z') - 29 * DAY_MS).toISOString().slice(0, 10),
    );
    expect(stats.downloads.every((day) => day.bytes === 0 && day.count === 0)).toBe(true);
    expect(stats.todayBytes).toBe(0);
    expect((await asAdmin().getTrafficStats({ days: 1 })).downloads).toHaveLength(1);
    expect((await asAdmin().getTrafficStats({ days: 90 })).downloads).toHaveLength(90);
    for (const days of [-1, 91]) {
      const error = await expectDomainError(asAdmin().getTrafficStats({ days }), ErrorCode.VALIDATION_FAILED);
      expect(error.details).toEqual({ field: 'days' });
    }
  });
});

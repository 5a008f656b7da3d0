import type { quotasV1 } from '@lexy/contracts-grpc';
import { GROUP_LIMITS_TTL_MS, GroupLimitsCache } from './group-limits.cache.js';

const limits = (downloadBytesPerSecond?: number) =>
  ({ group: 'normal', downloadBytesPerSecond, trafficWindow: 0 }) as quotasV1.GroupLimits;

describe('GroupLimitsCache (fake clock)', () => {
  it('asks the quotas service once per group and TTL, sharing a lookup on its way', async () => {
    const asked: string[] = [];
    const cache = new GroupLimitsCache(async ({ group }) => (asked.push(group), { limits: limits(1_000) }));
    let now = 0;
    cache.useClock(() => now);
    const [a, b] = await Promise.all([cache.downloadRate('normal'), cache.downloadRate('normal')]);
    now = GROUP_LIMITS_TTL_MS - 1;
    await cache.downloadRate('normal');
    await cache.downloadRate('other');
    expect([a, b]).toEqual([1_000, 1_000]);
    expect(asked).toEqual(['normal', 'other']);
    now = GROUP_LIMITS_TTL_MS;
    await cache.downloadRate('normal');
    expect(asked).toEqual(['normal', 'other', 'normal']);
  });

  it('asks again at once for a group it was told to forget (an admin changed it)', async () => {
    let rate = 1_000;
    const cache = new GroupLimitsCache(async () => ({ limits: limits(rate) }));
    cache.useClock(() => 0);
    expect(await cache.downloadRate('normal')).toBe(1_000);
    rate = 2_000;
    expect(await cache.downloadRate('normal')).toBe(1_000);
    cache.forget('normal');
    expect(await cache.downloadRate('normal')).toBe(2_000);
  });

  it('reads an unset speed as unlimited (null)', async () => {
    const cache = new GroupLimitsCache(async () => ({ limits: limits(undefined) }));
    expect(await cache.downloadRate('admin')).toBeNull();
  });

  it('does not cache a failed lookup', async () => {
    let fail = true;
    const cache = new GroupLimitsCache(async () => {
      if (fail) throw new Error('quotas is down');
      return { limits: limits(5) };
    });
    await expect(cache.downloadRate('normal')).rejects.toThrow('quotas is down');
    fail = false;
    expect(await cache.downloadRate('normal')).toBe(5);
  });

  it('fails when the service answers no limits', async () => {
    const cache = new GroupLimitsCache(async () => ({ limits: undefined }));
    await expect(cache.get('ghost')).rejects.toThrow('no limits for group ghost');
  });
});

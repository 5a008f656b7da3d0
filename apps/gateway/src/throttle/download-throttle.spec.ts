import { LEASE_SECONDS, type TokenBucketStore } from '@lexy/server-throttle';
import type { GatewayConfig } from '../config/gateway.config.js';
import { DownloadThrottle } from './download-throttle.js';
import type { GroupLimitsCache } from './group-limits.cache.js';

const RATE = 3_000_000;
const caller = { ownerId: 'ip:203.0.113.9', group: 'anonymous', kind: 2, quotaAccountId: 'ip:203.0.113.9' };

describe('DownloadThrottle', () => {
  it('shares a caller’s lease among its open downloads on this replica, as they open and close', async () => {
    const taken: number[] = [];
    const store: TokenBucketStore = { take: async (_key, bytes) => (taken.push(bytes), 0) };
    const limits = { downloadRate: async () => RATE } as unknown as GroupLimitsCache;
    const throttle = new DownloadThrottle({ GATEWAY_THROTTLE_PREFIX: 't:' } as GatewayConfig, store, limits);

    const first = (await throttle.gateFor(caller))!;
    const second = (await throttle.gateFor(caller))!;
    const stranger = (await throttle.gateFor({ ...caller, ownerId: 'x', quotaAccountId: 'x' }))!;
    await first.permit(1);
    await stranger.permit(1);
    await second.close();
    await second.close(); // twice: counted once
    await first.permit(RATE * LEASE_SECONDS); // past its first lease: leases again, alone now
    expect(taken).toEqual([(RATE * LEASE_SECONDS) / 2, RATE * LEASE_SECONDS, RATE * LEASE_SECONDS]);
  });

  it('keys a registered user’s bucket by the account, as the relay does', () => {
    const limits = {} as GroupLimitsCache;
    const throttle = new DownloadThrottle(
      { GATEWAY_THROTTLE_PREFIX: 't:' } as GatewayConfig,
      {} as TokenBucketStore,
      limits,
    );
    expect(throttle.bucketKey({ ownerId: 'user-1', group: 'normal', kind: 1 })).toBe('t:{user-1}');
    expect(throttle.bucketKey(caller)).toBe('t:{ip:203.0.113.9}');
  });

  it('opens no gate for an unlimited group', async () => {
    const limits = { downloadRate: async () => null } as unknown as GroupLimitsCache;
    const throttle = new DownloadThrottle(
      { GATEWAY_THROTTLE_PREFIX: 't:' } as GatewayConfig,
      {} as TokenBucketStore,
      limits,
    );
    expect(await throttle.gateFor({ ...caller, group: 'admin' })).toBeUndefined();
  });
});

import type { quotasV1 } from '@lexy/contracts-grpc';
import { LEASE_SECONDS, limitsFor, takeTokens, type BucketState, type TokenBucketStore } from '@lexy/server-throttle';
import type { QuotasClient } from '../grpc/grpc-clients.js';
import { RelayGroupLimits, RelayThrottle } from './relay-throttle.js';

const RATE = 1_000_000;
const FRAME = 65_536;

/** The bucket arithmetic in memory, recording which keys are taken from. */
class MemoryBuckets implements TokenBucketStore {
  readonly states = new Map<string, BucketState>();
  readonly keys: string[] = [];
  async take(key: string, bytes: number, bytesPerSecond: number, nowMs: number): Promise<number> {
    this.keys.push(key);
    const { state, waitMs } = takeTokens(this.states.get(key), limitsFor(bytesPerSecond), bytes, nowMs);
    this.states.set(key, state);
    return waitMs;
  }
}

function setup(rates: Record<string, number | undefined>) {
  const asked: string[] = [];
  const quotas = {
    getGroupLimits: async ({ group }: quotasV1.GetGroupLimitsRequest) => {
      asked.push(group);
      return { limits: { group, downloadBytesPerSecond: rates[group], trafficWindow: 0 } as quotasV1.GroupLimits };
    },
  } as unknown as QuotasClient;
  const store = new MemoryBuckets();
  const limits = new RelayGroupLimits(quotas);
  const clock = { now: 0 };
  limits.useClock(() => clock.now);
  const throttle = new RelayThrottle({ GATEWAY_THROTTLE_PREFIX: 'lexy:t:' }, store, limits);
  throttle.useClock({
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
  });
  return { throttle, store, clock, asked };
}

describe('RelayThrottle (fake store and clock)', () => {
  it('takes from the account’s bucket under the gateway’s key: `${prefix}{ownerId}`', async () => {
    const { throttle, store } = setup({ normal: RATE });
    const gate = (await throttle.gateFor('user-1', 'normal'))!;
    await gate.permit(FRAME);
    expect(store.keys).toEqual(['lexy:t:{user-1}']);
    expect(throttle.bucketKey('user-1')).toBe('lexy:t:{user-1}');
  });

  it('holds relayed frames to the group’s rate: 3 s at 1 MB/s is 3 MB plus one burst', async () => {
    const { throttle, clock } = setup({ normal: RATE });
    const gate = (await throttle.gateFor('user-1', 'normal'))!;
    let sent = 0;
    for (let frame = 0; frame < 100; frame += 1) {
      await gate.permit(FRAME);
      if (clock.now <= 3_000) sent += FRAME;
    }
    expect(clock.now).toBeGreaterThan(3_000);
    expect(sent).toBeLessThanOrEqual(3 * RATE + limitsFor(RATE).capacity);
    expect(sent).toBeGreaterThanOrEqual(3 * RATE - RATE * LEASE_SECONDS);
  });

  it('shares one lease among the account’s relayed streams here, and gives the unspent part back', async () => {
    const { throttle, store } = setup({ normal: RATE });
    const first = (await throttle.gateFor('user-1', 'normal'))!;
    const second = (await throttle.gateFor('user-1', 'normal'))!;
    await first.permit(1);
    const key = throttle.bucketKey('user-1');
    // Full bucket (100 ms of the rate) less half a lease.
    expect(store.states.get(key)!.tokens).toBe(limitsFor(RATE).capacity - (RATE * LEASE_SECONDS) / 2);
    // The first permit waited out its debt (25 ms of fake time): the bucket is back at 0.
    await first.close();
    await second.close();
    // The unspent lease went back: full again, where keeping it would have left 0.
    expect(store.states.get(key)!.tokens).toBe(limitsFor(RATE).capacity);
  });

  it('keeps accounts apart', async () => {
    const { throttle, store } = setup({ normal: RATE });
    await (await throttle.gateFor('user-1', 'normal'))!.permit(1);
    await (await throttle.gateFor('user-2', 'normal'))!.permit(1);
    expect([...store.states.keys()]).toEqual(['lexy:t:{user-1}', 'lexy:t:{user-2}']);
  });

  it('gives no gate for an unlimited group (admin), and asks quotas once per group within the cache’s TTL', async () => {
    const { throttle, asked } = setup({ admin: undefined, normal: RATE });
    expect(await throttle.gateFor('admin-1', 'admin')).toBeUndefined();
    expect(await throttle.gateFor('admin-1', 'admin')).toBeUndefined();
    await throttle.gateFor('user-1', 'normal');
    expect(asked).toEqual(['admin', 'normal']);
  });
});

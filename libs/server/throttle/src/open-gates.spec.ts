import { LEASE_SECONDS } from './download-gate.js';
import { OpenGates } from './open-gates.js';
import type { TokenBucketStore } from './token-bucket-store.js';

const RATE = 1_000_000;
const clock = { now: () => 0, sleep: async () => undefined };

describe('OpenGates', () => {
  it('shares a lease among the gates open on one key, as they open and close', async () => {
    const taken: [string, number][] = [];
    const store: TokenBucketStore = { take: async (key, bytes) => (taken.push([key, bytes]), 0) };
    const gates = new OpenGates(store, () => clock);
    const rate = async () => RATE;
    const first = gates.openGate('a', RATE, rate);
    const second = gates.openGate('a', RATE, rate);
    const other = gates.openGate('b', RATE, rate);
    expect(gates.countOn('a')).toBe(2);
    await first.permit(1);
    await other.permit(1);
    await second.close();
    await second.close(); // twice: counted once
    expect(gates.countOn('a')).toBe(1);
    await first.permit(RATE * LEASE_SECONDS);
    await first.close();
    expect(gates.countOn('a')).toBe(0);
    const lease = RATE * LEASE_SECONDS;
    expect(taken.slice(0, 3)).toEqual([
      ['a', lease / 2],
      ['b', lease],
      ['a', lease],
    ]);
  });
});

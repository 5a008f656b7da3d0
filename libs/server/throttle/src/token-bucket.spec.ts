import { limitsFor, takeTokens, type BucketState } from './token-bucket.js';

const RATE = 3_000_000; // bytes per second
const limits = limitsFor(RATE);

describe('token bucket arithmetic (fake clock)', () => {
  it('caps the burst of an idle caller at 100 ms of the rate', () => {
    expect(limits.capacity).toBe(300_000);
    const first = takeTokens(undefined, limits, 300_000, 0);
    expect(first.waitMs).toBe(0);
    // Idle for an hour: still only 100 ms worth.
    const later = takeTokens(first.state, limits, 300_001, 3_600_000);
    expect(later.waitMs).toBe(1); // one byte over the burst waits for it
  });

  it('lets bytes through at the rate: over 10 s, 10 s of the rate plus one burst', () => {
    let state: BucketState | undefined;
    let now = 0;
    let sentByTenSeconds = 0;
    // A greedy consumer: takes 64 KiB, waits as told, repeats.
    while (now <= 10_000) {
      const taken = takeTokens(state, limits, 65_536, now);
      state = taken.state;
      now += taken.waitMs;
      if (now <= 10_000) sentByTenSeconds += 65_536;
    }
    expect(sentByTenSeconds).toBeGreaterThanOrEqual(RATE * 10 + limits.capacity - 65_536);
    expect(sentByTenSeconds).toBeLessThanOrEqual(RATE * 10 + limits.capacity);
  });

  it('is shared: two consumers of one bucket get the rate between them, not each', () => {
    let state: BucketState | undefined;
    const clocks = [0, 0];
    const sent = [0, 0];
    for (let step = 0; step < 10_000; step += 1) {
      const who = clocks[0]! <= clocks[1]! ? 0 : 1; // whoever may send first asks next
      const taken = takeTokens(state, limits, 100_000, clocks[who]!);
      state = taken.state;
      clocks[who] = clocks[who]! + taken.waitMs;
      if (clocks[who]! <= 5_000) sent[who] = sent[who]! + 100_000;
      if (Math.min(...clocks) > 5_000) break;
    }
    const total = sent[0]! + sent[1]!;
    expect(total).toBeLessThanOrEqual(RATE * 5 + limits.capacity);
    expect(total).toBeGreaterThanOrEqual(RATE * 5 + limits.capacity - 2 * 100_000);
    expect(Math.abs(sent[0]! - sent[1]!)).toBeLessThanOrEqual(400_000); // and fairly, within a few takes
  });

  it('applies a new rate from the next take on', () => {
    const slow = limitsFor(1_000_000);
    let { state } = takeTokens(undefined, slow, slow.capacity, 0);
    const atSlowRate = takeTokens(state, slow, 1_000_000, 0);
    expect(atSlowRate.waitMs).toBe(1_000);
    state = atSlowRate.state; // 1 MB in debt
    const fast = limitsFor(4_000_000);
    expect(takeTokens(state, fast, 0, 0).waitMs).toBe(250); // the same debt, paid 4x faster
  });

  it('gives tokens back (negative take), never above capacity', () => {
    const { state } = takeTokens(undefined, limits, 300_000, 0);
    const back = takeTokens(state, limits, -1_000_000, 0);
    expect(back.state.tokens).toBe(limits.capacity);
  });

  it('does not turn time back when a replica with a slower clock takes', () => {
    const ahead = takeTokens(undefined, limits, 300_000, 10_000).state;
    const behind = takeTokens(ahead, limits, 30_000, 9_000);
    expect(behind.state.atMs).toBe(10_000);
    expect(behind.waitMs).toBe(10); // no refill from the earlier clock
  });
});

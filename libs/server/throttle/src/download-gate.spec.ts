import { DownloadGate, LEASE_SECONDS, type GateDependencies } from './download-gate.js';
import { takeTokens, limitsFor, type BucketState } from './token-bucket.js';
import type { TokenBucketStore } from './token-bucket-store.js';

/** The bucket arithmetic in memory, counting the calls a Redis store would get. */
class MemoryBuckets implements TokenBucketStore {
  readonly states = new Map<string, BucketState>();
  /** The bytes of every take, in order (negative: given back). */
  readonly taken: number[] = [];
  calls = 0;
  async take(key: string, bytes: number, bytesPerSecond: number, nowMs: number): Promise<number> {
    this.calls += 1;
    this.taken.push(bytes);
    const { state, waitMs } = takeTokens(this.states.get(key), limitsFor(bytesPerSecond), bytes, nowMs);
    this.states.set(key, state);
    return waitMs;
  }
}

/** Fake time: sleeping moves this consumer's clock instead of waiting. */
function consumer(
  store: TokenBucketStore,
  rate: () => number | null,
  clock: { now: number },
  key = 'caller',
  streams?: () => number,
) {
  const deps: GateDependencies = {
    store,
    key,
    initialRate: rate() ?? 1,
    rate,
    ...(streams ? { streams } : {}),
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
  };
  return new DownloadGate(deps);
}

const BUFFER = 65_536;
/** One lease of a single stream at 3 MB/s, and the burst of an idle bucket (100 ms). */
const LEASE = 3_000_000 * LEASE_SECONDS;
const BURST = 300_000;

/** Sends `buffers` writes through the gate; returns the bytes sent by `untilMs` on its clock. */
async function stream(gate: DownloadGate, clock: { now: number }, buffers: number, untilMs: number) {
  let sent = 0;
  for (let i = 0; i < buffers; i += 1) {
    await gate.permit(BUFFER);
    if (clock.now <= untilMs) sent += BUFFER;
  }
  return sent;
}

describe('DownloadGate (fake clock)', () => {
  it('leases LEASE_SECONDS of the rate per call and spends it without asking again', async () => {
    const store = new MemoryBuckets();
    const clock = { now: 0 };
    const gate = consumer(store, () => 3_000_000, clock);
    await gate.permit(BUFFER); // the first lease
    expect(store.calls).toBe(1);
    const fromLease = Math.floor((LEASE - BUFFER) / BUFFER);
    for (let i = 0; i < fromLease; i += 1) expect(gate.permit(BUFFER)).toBeUndefined(); // synchronously
    expect(store.calls).toBe(1);
    await gate.permit(BUFFER);
    expect(store.calls).toBe(2);
  });

  it('holds one stream to the rate: 2 s at 3 MB/s is 6 MB plus one burst', async () => {
    const store = new MemoryBuckets();
    const clock = { now: 0 };
    const sent = await stream(
      consumer(store, () => 3_000_000, clock),
      clock,
      200,
      2_000,
    );
    expect(sent).toBeGreaterThanOrEqual(6_000_000 + BURST - 2 * LEASE);
    expect(sent).toBeLessThanOrEqual(6_000_000 + BURST);
  });

  it('shares one bucket between concurrent downloads of one caller', async () => {
    const store = new MemoryBuckets();
    const clocks = [{ now: 0 }, { now: 0 }, { now: 0 }];
    const gates = clocks.map((clock) => consumer(store, () => 3_000_000, clock));
    const sent = [0, 0, 0];
    // Interleave: always advance the consumer whose clock is earliest, as real time would.
    for (let step = 0; step < 1_000; step += 1) {
      const who = clocks.indexOf(clocks.reduce((a, b) => (a.now <= b.now ? a : b)));
      await gates[who]!.permit(BUFFER);
      if (clocks[who]!.now <= 2_000) sent[who] = sent[who]! + BUFFER;
    }
    const total = sent.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(6_000_000 + BURST + 3 * BUFFER);
    expect(total).toBeGreaterThanOrEqual(6_000_000 - 3 * LEASE);
    expect(store.states.size).toBe(1);
  });

  it('divides one lease among the caller’s downloads on the replica, so they hold no more ahead together', async () => {
    const store = new MemoryBuckets();
    const clock = { now: 0 };
    const gates = [1, 2, 3, 4].map(() =>
      consumer(
        store,
        () => 3_000_000,
        clock,
        'caller',
        () => 4,
      ),
    );
    for (const gate of gates) await gate.permit(BUFFER);
    expect(store.taken).toEqual([LEASE / 4, LEASE / 4, LEASE / 4, LEASE / 4]);
  });

  it('keeps callers apart: another key is another bucket', async () => {
    const store = new MemoryBuckets();
    const a = { now: 0 };
    const b = { now: 0 };
    const sentA = await stream(
      consumer(store, () => 1_000_000, a, 'a'),
      a,
      40,
      1_000,
    );
    const sentB = await stream(
      consumer(store, () => 1_000_000, b, 'b'),
      b,
      40,
      1_000,
    );
    expect(sentA).toBeGreaterThan(900_000);
    expect(sentB).toBeGreaterThan(900_000);
  });

  it('follows a rate change on its next lease, and stops waiting when the group becomes unlimited', async () => {
    const store = new MemoryBuckets();
    const clock = { now: 0 };
    let rate: number | null = 1_000_000;
    const gate = consumer(store, () => rate, clock);
    await stream(gate, clock, 40, Infinity);
    const before = clock.now;
    rate = 4_000_000;
    await stream(gate, clock, 61, Infinity); // 4 MB at the new rate: about 1 s
    expect(clock.now - before).toBeGreaterThan(800); // less what was left of the last lease
    expect(clock.now - before).toBeLessThan(1_200);
    rate = null;
    const calls = store.calls;
    const unlimited = clock.now;
    await stream(gate, clock, 1_000, Infinity);
    expect(clock.now).toBe(unlimited);
    expect(store.calls).toBe(calls); // no lease any more
  });

  it('gives unspent tokens back when the download ends', async () => {
    const store = new MemoryBuckets();
    const clock = { now: 0 };
    const gate = consumer(store, () => 3_000_000, clock);
    await gate.permit(BUFFER); // leases LEASE, spends 65 536
    await gate.close();
    expect(store.taken).toEqual([LEASE, -(LEASE - BUFFER)]);
  });

  it('holds the stream to the rate on its own while the shared bucket is unreachable', async () => {
    const clock = { now: 0 };
    const broken: TokenBucketStore = { take: () => Promise.reject(new Error('redis is down')) };
    const gate = consumer(broken, () => 1_000_000, clock);
    await gate.permit(BUFFER);
    expect(clock.now).toBe(LEASE_SECONDS * 1000); // one slice at 1 MB/s, waited out alone
  });
});
